// process events: beforeExit (can schedule more work once), exit with exitCode.
let again = true;
process.on('beforeExit', (code) => {
  console.log('beforeExit', code);
  if (again) {
    again = false;
    setTimeout(() => console.log('scheduled from beforeExit'), 5);
  }
});
process.on('exit', (code) => {
  console.log('exit', code, process.exitCode);
  setTimeout(() => console.log('never: no loop after exit'), 0);
});
process.exitCode = 3;
console.log('main done');
