// Three "network calls" (timers stand in for them): one after another, then all at once.
// Which way finishes first, and in what order do the calls complete?
const call = (name, ms) =>
  new Promise((resolve) => setTimeout(() => {
    console.log(`  ${name} answered after ${ms} ms`);
    resolve(name);
  }, ms));

async function sequential() {
  const start = Date.now();
  await call('users', 30);
  await call('orders', 10);
  await call('prices', 20);
  return Date.now() - start;
}

async function parallel() {
  const start = Date.now();
  await Promise.all([call('users', 30), call('orders', 10), call('prices', 20)]);
  return Date.now() - start;
}

(async () => {
  console.log('sequential awaits:');
  const s = await sequential();
  console.log('Promise.all:');
  const p = await parallel();
  console.log(s >= 60 ? 'sequential took at least 60 ms' : 'sequential was fast');
  console.log(p < 60 ? 'Promise.all took less than 60 ms' : 'Promise.all was slow');
})();
