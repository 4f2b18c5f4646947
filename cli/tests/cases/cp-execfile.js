// Seed: "execFile use for small output and commands in different file ... it uses buffer":
// execFile runs a program without a shell, so `$HOME` and `*` reach it as they are.
const { execFile } = require('child_process');

execFile('echo', ['hello', '$HOME', '*'], (error, stdout, stderr) => {
  console.log('stdout:', JSON.stringify(stdout), 'error:', error);
  execFile('no-such-program', ['x'], (error) => {
    console.log(error.code, error.errno, error.syscall, error.path, error.spawnargs);
    console.log(error.message);
    execFile('cat', ['no-such-file.txt'], (error, stdout, stderr) => {
      console.log('cat:', error.code, JSON.stringify(stderr));
    });
  });
});
