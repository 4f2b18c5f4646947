// A timer asks for 5 ms, then the script keeps the CPU busy for 50 ms. When does the timer run?
const start = Date.now();

setTimeout(() => {
  const late = Date.now() - start;
  console.log(late >= 50 ? 'the timer ran at least 50 ms after start' : 'the timer was on time');
}, 5);

while (Date.now() - start < 50) {
  // busy: nothing else can run on this thread
}
console.log('busy loop done');
