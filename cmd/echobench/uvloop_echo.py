# The uvloop echo servers of echobench (embedded in the binary):
#   python3 uvloop_echo.py streams    asyncio streams (StreamReader/Writer), a task per connection
#   python3 uvloop_echo.py protocol   an asyncio Protocol (callbacks, no task)
# Prints "listening <host:port>" and serves until killed.
import asyncio
import sys

import uvloop


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


async def handle(reader, writer):
    try:
        while True:
            data = await reader.read(16384)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main(mode):
    loop = asyncio.get_running_loop()
    if mode == "protocol":
        server = await loop.create_server(EchoProtocol, "127.0.0.1", 0, backlog=4096)
    else:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"listening {host}:{port}", flush=True)
    await asyncio.Event().wait()


uvloop.install()
asyncio.run(main(sys.argv[1]))
