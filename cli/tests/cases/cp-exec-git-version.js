// Seed: "exec() ... Checking the version of Git installed on the server", pasted as a learner
// would. The version differs between machines, so only its shape is printed.
const { exec } = require('child_process');
exec('git --version', (error, stdout, stderr) => {
  console.log(`Git Version: ${stdout.replace(/\d+\.\d+\.\d+/, 'X.Y.Z')}`);
  console.log('error:', error, 'stderr:', JSON.stringify(stderr));
  // A command the shell does not know: exit code 127 and dash's message on stderr.
  exec('gti --version', (error, stdout, stderr) => {
    console.log('code:', error.code, 'killed:', error.killed, 'signal:', error.signal);
    console.log('stdout:', JSON.stringify(stdout), 'stderr:', JSON.stringify(stderr));
    console.log(error.message);
  });
});
console.log('exec returned before the command ran');
