// EventEmitter: on/once/off/emit order, prependListener, the 'error' event, events.once.
const EventEmitter = require('events');
const { once } = require('events');
const e = new EventEmitter();
const log = (name) => (...args) => console.log(name, ...args);
const a = log('a');
e.on('x', a);
e.once('x', log('once'));
e.prependListener('x', log('first'));
console.log(e.emit('x', 1, 2), e.listenerCount('x'));
console.log(e.emit('x', 3), e.listenerCount('x'));
e.off('x', a);
console.log(e.emit('x', 4), e.emit('nothing'), e.eventNames());
try {
  e.emit('error', new Error('boom'));
} catch (err) {
  console.log('thrown', err.message);
}
e.on('error', (err) => console.log('handled', err.message));
e.emit('error', new Error('again'));
class Job extends EventEmitter {}
const j = new Job();
j.on('done', function () {
  console.log('this is the emitter', this === j);
});
j.emit('done');
(async () => {
  setTimeout(() => j.emit('ready', 42, 'x'), 5);
  const args = await once(j, 'ready');
  console.log('once resolved', args);
})();
console.log('sync emit finished before any callback above ran asynchronously');
