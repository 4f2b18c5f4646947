// Which line prints last?
console.log('1. start');

setTimeout(() => {
  console.log('3. the timer callback');
}, 0);

console.log('2. end of the script');
