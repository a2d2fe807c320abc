/** Vehicles of a delivery fleet and what they can carry. */
export function totalCapacity(vehicles) {
	return vehicles.reduce((sum, vehicle) => sum + vehicle.capacityKg, 0);   
}

export function availableVehicles(vehicles) {
	return vehicles.filter((vehicle) => vehicle.status === "available");
}


