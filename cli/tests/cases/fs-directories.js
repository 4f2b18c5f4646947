// fs directories: mkdirSync (recursive and not), rmdirSync, unlinkSync, rmSync, existsSync,
// statSync().isDirectory(), readdirSync of empty directories made by the program; the callback
// and promise forms; Node's error codes, errnos, syscalls and messages for common misuse.
const fs = require('fs');
const path = require('path');
const here = (...p) => path.join(__dirname, ...p);
function t(label, f) {
  try {
    console.log(label, 'ok', f());
  } catch (e) {
    console.log(label, e.code, e.errno, e.syscall, e.path && e.path.replace(__dirname, '<dir>'),
      e.message.replace(__dirname, '<dir>'), Object.keys(e));
  }
}
fs.writeFileSync('f.txt', 'a file');
t('mkdir', () => fs.mkdirSync('d1'));
t('mkdir again', () => fs.mkdirSync('d1'));
t('mkdir on a file', () => fs.mkdirSync('f.txt'));
t('mkdir no parent', () => fs.mkdirSync('nope/x'));
t('mkdir under a file', () => fs.mkdirSync('f.txt/x'));
t('mkdir empty path', () => fs.mkdirSync(''));
t('mkdir a number', () => fs.mkdirSync(5));
t('recursive', () => fs.mkdirSync('r1/r2/r3', { recursive: true }));
t('recursive again', () => fs.mkdirSync('r1/r2/r3', { recursive: true }));
t('recursive part', () => fs.mkdirSync('r1/r2/r4', { recursive: true }));
t('recursive under a file', () => fs.mkdirSync('f.txt/x/y', { recursive: true }));
t('recursive on a file', () => fs.mkdirSync('f.txt', { recursive: true }));
t('recursive absolute', () => fs.mkdirSync(here('abs', 'x'), { recursive: true }).replace(__dirname, '<dir>'));
t('mode', () => fs.mkdirSync('m2', 0o755));
t('readdir empty', () => fs.readdirSync('d1'));
t('readdir r1', () => fs.readdirSync('r1'));
t('readdir r1/r2', () => fs.readdirSync(here('r1', 'r2')));
t('readdir here', () => fs.readdirSync(__dirname));
t('readdir a file', () => fs.readdirSync('f.txt'));
t('readdir missing', () => fs.readdirSync('nope'));
t('exists', () => [fs.existsSync('d1'), fs.existsSync('r1/r2'), fs.existsSync('f.txt'), fs.existsSync('nope')]);
t('stat dir', () => { const s = fs.statSync('d1'); return [s.isFile(), s.isDirectory()]; });
t('stat file', () => { const s = fs.statSync('f.txt'); return [s.isFile(), s.isDirectory(), s.size]; });
t('stat under a file', () => fs.statSync('f.txt/x'));
t('read a dir', () => fs.readFileSync('d1'));
t('read under a file', () => fs.readFileSync('f.txt/x'));
t('write a dir', () => fs.writeFileSync('d1', 'x'));
t('write no parent', () => fs.writeFileSync('nope/x.txt', 'x'));
t('write under a file', () => fs.writeFileSync('f.txt/x.txt', 'x'));
t('write in a made dir', () => fs.writeFileSync('d1/in.txt', 'inside'));
t('rmdir not empty', () => fs.rmdirSync('d1'));
t('unlink', () => fs.unlinkSync('d1/in.txt'));
t('still there', () => [fs.existsSync('d1'), fs.readdirSync('d1')]);
t('rmdir', () => fs.rmdirSync('d1'));
t('gone', () => [fs.existsSync('d1'), fs.readdirSync(__dirname).filter((n) => !n.endsWith('.js'))]);
t('rmdir missing', () => fs.rmdirSync('d1'));
t('rmdir a file', () => fs.rmdirSync('f.txt'));
t('rmdir trailing slash', () => fs.rmdirSync('m2/'));
t('unlink missing', () => fs.unlinkSync('nope'));
t('unlink a dir', () => fs.unlinkSync('r1'));
t('rm missing', () => fs.rmSync('nope'));
t('rm missing force', () => fs.rmSync('nope', { force: true }));
t('rm a dir', () => { try { fs.rmSync('r1'); } catch (e) { return [e.name, e.code, e.errno, e.syscall, e.message, e.info]; } });
t('rm recursive', () => fs.rmSync('r1', { recursive: true }));
t('rm a file', () => fs.rmSync('f.txt'));
t('after rm', () => [fs.existsSync('r1'), fs.existsSync('r1/r2'), fs.existsSync('f.txt'), fs.existsSync('abs/x')]);

// callbacks and promises: the change is there when the callback runs
fs.mkdir('cb1', (err) => {
  console.log('mkdir cb', err, fs.statSync('cb1').isDirectory());
  fs.mkdir('cb1', (err2) => {
    console.log('mkdir cb again', err2.code, err2.message);
    fs.mkdir('cb2/a/b', { recursive: true }, (err3, first) => {
      console.log('mkdir cb recursive', err3, first);
      fs.rmdir('cb2', (err4) => {
        console.log('rmdir cb', err4.code);
        fs.rm('cb2', { recursive: true }, (err5) => {
          console.log('rm cb', err5, fs.existsSync('cb2'));
          fs.unlink('cb1', (err6) => {
            console.log('unlink cb', err6.code, err6.syscall);
            promised();
          });
        });
      });
    });
  });
});
// one chain after the other: two chains at once would race on Node's thread pool
async function promised() {
  const fsp = fs.promises;
  console.log('p mkdir', await fsp.mkdir('p1'));
  console.log('p mkdir recursive', await fsp.mkdir('p1/a/b', { recursive: true }));
  console.log('p readdir', await fsp.readdir('p1'), (await fsp.stat('p1/a')).isDirectory());
  await fsp.writeFile('p1/a/b/x.txt', 'x');
  await fsp.rmdir('p1').catch((e) => console.log('p rmdir', e.code, e.syscall));
  await fsp.unlink('p1/a/b/x.txt');
  console.log('p after unlink', await fsp.readdir('p1/a/b'));
  await fsp.rm('p1', { recursive: true });
  console.log('p gone', fs.existsSync('p1'));
  await fsp.mkdir(5).catch((e) => console.log('p mkdir number', e.code));
  console.log('p rm force', await fsp.rm('p1', { force: true }));
}
