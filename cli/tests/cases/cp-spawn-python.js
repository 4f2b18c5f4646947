// Seed: "spawn() ... running a Python script that processes data": the script's output
// arrives in chunks on child.stdout; the exit code at 'close'.
const { spawn } = require('child_process');

const py = spawn('python3', ['-c', 'print("processing data")\nprint("done")']);
let out = '';
py.stdout.on('data', (chunk) => (out += chunk));
py.on('close', (code) => {
  console.log('python said:', JSON.stringify(out), 'code', code);
  const missing = spawn('python3', ['no_such_script.py']);
  let err = '';
  missing.stderr.on('data', (d) => (err += d));
  missing.on('close', (code) => console.log('missing script:', code, err.includes('No such file or directory')));
});
