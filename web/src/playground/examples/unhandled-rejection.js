// A promise rejects and nobody catches it. When does Node notice?
process.on('unhandledRejection', (reason) => {
  console.log('unhandledRejection:', reason.message);
});

Promise.reject(new Error('nobody caught me'));
Promise.resolve().then(() => console.log('a microtask still runs first'));
setTimeout(() => console.log('a timer runs after the report'), 0);
console.log('end of the script');
