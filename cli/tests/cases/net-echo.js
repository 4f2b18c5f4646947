// net: an echo server and a client in one process (data, end, close and their order).
const net = require('net');
const server = net.createServer((socket) => {
  console.log('server: connection', socket.remoteAddress);
  socket.setEncoding('utf8');
  socket.on('data', (d) => { console.log('server got', JSON.stringify(d)); socket.write(d.toUpperCase()); });
  socket.on('end', () => { console.log('server: end'); });
  socket.on('close', () => { console.log('server: socket close'); server.close(() => console.log('server closed')); });
});
server.listen(0, () => {
  const { port } = server.address();
  console.log('listening', typeof port);
  const client = net.connect(port, () => {
    console.log('client: connect');
    client.write('hello');
    setTimeout(() => { client.write(' world'); setTimeout(() => client.end(), 10); }, 10);
  });
  client.setEncoding('utf8');
  client.on('data', (d) => console.log('client got', d));
  client.on('end', () => console.log('client: end'));
  client.on('close', (hadError) => console.log('client: close', hadError));
});
