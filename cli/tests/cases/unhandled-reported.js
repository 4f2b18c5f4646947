// Which promise is reported: the derived one, not the one .then() was called on.
const rejected = Promise.reject(new Error('boom'));
const derived = rejected.then(() => {});
process.on('unhandledRejection', (reason, p) => {
  console.log('reported:', reason.message, p === derived ? 'the derived promise' : p === rejected ? 'the original' : 'another');
});
