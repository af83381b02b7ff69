// privatelink DNS zones, linked to the virtual network of the private endpoint subnet, so the
// function app (VNet-integrated into the same network) resolves the private addresses.
param zoneNames array
param subnetId string
param tags object

// /subscriptions/<s>/resourceGroups/<g>/providers/Microsoft.Network/virtualNetworks/<v>/subnets/<n>
var virtualNetworkId = join(take(split(subnetId, '/'), 9), '/')

resource zones 'Microsoft.Network/privateDnsZones@2020-06-01' = [for zoneName in zoneNames: {
  name: zoneName
  location: 'global'
  tags: tags
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [for i in range(0, length(zoneNames)): {
  parent: zones[i]
  name: 'link-${uniqueString(virtualNetworkId)}'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: virtualNetworkId
    }
  }
}]
