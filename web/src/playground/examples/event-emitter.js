// Does emit() wait for the event loop, or run the listeners right away?
const EventEmitter = require('events');
const door = new EventEmitter();

door.on('open', (who) => console.log(`listener 1: ${who} opened the door`));
door.on('open', () => console.log('listener 2: runs right after listener 1'));

console.log('before emit');
door.emit('open', 'Ada');
console.log('after emit');

setImmediate(() => door.emit('open', 'Grace (emitted later, from setImmediate)'));
