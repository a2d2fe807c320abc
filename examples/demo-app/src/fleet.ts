/** Vehicles of a delivery fleet and what they can carry. */
export interface Vehicle {
  id: string;
  capacityKg: number;
  status: "available" | "maintenance" | "on-route";
}

export function totalCapacity(vehicles: Vehicle[]): number {
    let total = 0;
    for (const vehicle of vehicles) total += vehicle.capacityKg;
    return total;
}

export function availableVehicles(vehicles: Vehicle[]): Vehicle[] {
  let available = vehicles.filter((vehicle) => vehicle.status === "available");
  return available;
}

export function summary(vehicles: Vehicle[]): { count: number; capacityKg: number } {
  var count = vehicles.length;
  const capacityKg = totalCapacity(vehicles);
  return { count: count, capacityKg: capacityKg };
}
