// Inside an I/O callback, setImmediate and setTimeout(0) race. Which one wins, every time?
const fs = require('fs');

fs.readFile(__filename, () => {
  console.log('file read');
  setTimeout(() => console.log('setTimeout 0'), 0);
  setImmediate(() => console.log('setImmediate'));
});
