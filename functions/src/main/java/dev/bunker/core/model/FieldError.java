package dev.bunker.core.model;

/** One problem with one input field; {@code field} is a JSON path such as {@code schedule.hours[2]}. */
public record FieldError(String field, String message) {}
