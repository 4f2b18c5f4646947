// fs.promises: writeFile, readFile, stat, readdir with async/await, and a rejected read.
const fsp = require('fs').promises;
const path = require('path');
(async () => {
  const f = path.join(__dirname, 'p.txt');
  await fsp.writeFile(f, 'promised');
  console.log(await fsp.readFile(f, 'utf8'));
  const st = await fsp.stat(f);
  console.log(st.size, st.isFile());
  console.log((await fsp.readdir(__dirname)).sort());
  try {
    await fsp.readFile(path.join(__dirname, 'none.txt'), 'utf8');
  } catch (e) {
    console.log('rejected', e.code, e.syscall);
  }
  const [a, b] = await Promise.all([fsp.readFile(f, 'utf8'), fsp.readFile(__filename, 'utf8')]);
  console.log(a, b.split('\n')[0]);
})();
console.log('sync end');
