// The three requests every mock server answers in the benchmark, on examples/castle-service.
export const CASTLE_ID = '550e8400-e29b-41d4-a716-446655440000';
export const CASTLE = {
  id: CASTLE_ID,
  name: 'Château de Versailles',
  region: 'Île-de-France',
  yearBuilt: 1623,
};
export const NEW_CASTLE = { name: 'Château de Chambord', region: 'Centre-Val de Loire', yearBuilt: 1519 };

export const REQUESTS = [
  { name: 'list (GET /castles)', method: 'GET', path: '/castles', expect: 200 },
  { name: 'get by id (GET /castles/{id})', method: 'GET', path: `/castles/${CASTLE_ID}`, expect: 200 },
  {
    name: 'create (POST /castles, body validated)',
    method: 'POST',
    path: '/castles',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(NEW_CASTLE),
    expect: 201,
  },
];
