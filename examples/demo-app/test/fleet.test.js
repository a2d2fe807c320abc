import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availableVehicles, totalCapacity } from '../src/fleet.js';

const fleet = [
  { id: 'van-1', capacityKg: 800, status: 'available' },
  { id: 'truck-2', capacityKg: 3500, status: 'maintenance' },
];

test('total capacity adds every vehicle', () => {
  assert.equal(totalCapacity(fleet), 4300);
});

test('only available vehicles are offered', () => {
  assert.deepEqual(availableVehicles(fleet).map((vehicle) => vehicle.id), ['van-1']);
});
