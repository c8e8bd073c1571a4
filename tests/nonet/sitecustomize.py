"""Put on PYTHONPATH of a child process so it starts with network sockets blocked."""

import casefile_nonet

casefile_nonet.install()
