/**
 * The fan-out baseline: a minimal Socket.IO broadcaster of the kind the seed demos used. It reads
 * the same Debezium topic with kafkajs (eachMessage), JSON.stringify's each change and io.emit()s it
 * to every connected socket. No snapshot, no resume, no backpressure: what a user would otherwise
 * run. Socket.IO's own broadcast does encode each packet once for all sockets.
 *
 *   PORT, KAFKA_BROKERS, KAFKA_TOPIC and GET /readyz: see baseline-source.ts.
 */
import { Server } from 'socket.io';
import { runBaseline } from './baseline-source.js';

runBaseline('socketio-baseline', (http) => {
  const io = new Server(http, { serveClient: false });
  return {
    onChange: (change) => io.emit('change', JSON.stringify(change)),
    close: () => void io.close(),
  };
});
