import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availableVehicles, summary, totalCapacity, type Vehicle } from '../src/fleet.js';

const fleet: Vehicle[] = [
  { id: 'van-1', capacityKg: 800, status: 'available' },
  { id: 'truck-2', capacityKg: 3500, status: 'maintenance' },
];

test('total capacity adds every vehicle', () => {
  assert.equal(totalCapacity(fleet), 4300);
});

test('only available vehicles are offered', () => {
  assert.deepEqual(
    availableVehicles(fleet).map((vehicle) => vehicle.id),
    ['van-1'],
  );
});

test('the summary counts vehicles and capacity', () => {
  assert.deepEqual(summary(fleet), { count: 2, capacityKg: 4300 });
});
