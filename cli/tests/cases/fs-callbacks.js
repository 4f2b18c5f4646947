// fs callback and sync forms: writeFile, readFile, stat, readdir, ENOENT's shape.
const fs = require('fs');
const path = require('path');
const file = path.join(__dirname, 'note.txt');
console.log('start');
fs.writeFile(file, 'hello fs', (err) => {
  console.log('written', err);
  fs.readFile(file, 'utf8', (err2, text) => {
    console.log('read', err2, text);
    fs.stat(file, (err3, st) => {
      console.log('stat', err3, st.size, st.isFile(), st.isDirectory());
      fs.readdir(__dirname, (err4, names) => {
        console.log('readdir', err4, names.sort());
        fs.readFile(path.join(__dirname, 'missing.txt'), (err5) => {
          console.log(err5.code, err5.errno, err5.syscall, err5.message.replace(__dirname, '<dir>'));
          console.log(err5 instanceof Error, Object.keys(err5).sort());
        });
      });
    });
  });
});
fs.writeFileSync(path.join(__dirname, 'sync.txt'), 'sync data');
console.log(fs.readFileSync(path.join(__dirname, 'sync.txt'), 'utf8'));
console.log(fs.readFileSync(path.join(__dirname, 'sync.txt')).toString('hex'));
console.log(fs.statSync(path.join(__dirname, 'sync.txt')).size, fs.existsSync(path.join(__dirname, 'nope')));
try {
  fs.readFileSync(path.join(__dirname, 'missing.txt'));
} catch (e) {
  console.log('sync', e.code, e.syscall, e.path === path.join(__dirname, 'missing.txt'));
}
setImmediate(() => console.log('immediate before I/O completes'));
