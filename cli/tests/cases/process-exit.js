// process.exit() inside a callback: exit listeners run, nothing after it, the code sticks.
setTimeout(() => {
  console.log('about to exit');
  process.exit(7);
  console.log('never');
}, 5);
setTimeout(() => console.log('never: later timer'), 50);
process.on('exit', (c) => console.log('exit event', c));
