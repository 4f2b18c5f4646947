// Three requests over the (virtual) network: one await after another, then all at once.
// users.example answers after 30 ms, orders.example after 10 ms, prices.example after 20 ms.
const urls = ['http://users.example/', 'http://orders.example/', 'http://prices.example/'];

async function oneAfterAnother() {
  const start = Date.now();
  for (const url of urls) {
    const body = await (await fetch(url)).json();
    console.log(`  ${body.name} answered`);
  }
  return Date.now() - start;
}

async function allAtOnce() {
  const start = Date.now();
  await Promise.all(urls.map(async (url) => {
    const body = await (await fetch(url)).json();
    console.log(`  ${body.name} answered`);
  }));
  return Date.now() - start;
}

(async () => {
  console.log('three awaits in a row:');
  const row = await oneAfterAnother();
  console.log('Promise.all:');
  const all = await allAtOnce();
  console.log(row >= 60 ? 'in a row: at least 30 + 10 + 20 = 60 ms' : 'in a row was quick');
  console.log(all < 60 ? 'Promise.all: about as long as the slowest request' : 'Promise.all was slow');
})();
