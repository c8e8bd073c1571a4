"""What the self-test's checking process runs under: kernel guards and an audit hook.

`block_network()` installs a seccomp filter (Linux x86-64 and arm64): from then on the
kernel refuses `socket()` for every family but AF_UNIX, in this process and in every
process it starts (the index workers), whatever library or C code asks.
`confine_writes()` does the same with Landlock for writing, creating and removing files
outside the temporary folder (metadata changes are not covered by Landlock). `Watch` is a
`sys.addaudithook` hook (it cannot be removed: the self-test runs it in a process of
its own): it sees every socket call Python makes and every file opened for writing or
created, renamed, removed or changed, refuses (and counts) any outside the temporary
folder, and counts the processes started.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
import struct
import sys
from dataclasses import dataclass, field
from typing import Any

# seccomp: the audit architecture and the socket() syscall number, per machine.
_ARCHES = {"x86_64": (0xC000003E, 41), "amd64": (0xC000003E, 41),
           "aarch64": (0xC00000B7, 198), "arm64": (0xC00000B7, 198)}
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_LD, _JEQ, _RET = 0x20, 0x15, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_RET|K
_ALLOW, _ERRNO = 0x7FFF0000, 0x00050000

# Landlock: create_ruleset, add_rule, restrict_self (same numbers on every architecture);
# the rights that change the file system: write, remove dir/file, make char/dir/reg/sock/fifo/block/sym.
_SYS_LANDLOCK = (444, 445, 446)
_LANDLOCK_WRITES = (1 << 1) | (1 << 4) | (1 << 5) | sum(1 << bit for bit in range(6, 13))

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_CHANGES = {  # audit event -> positions of the paths it changes (dir_fd follows when given)
    "os.mkdir": (0,), "os.rename": (0, 1), "os.remove": (0,), "os.rmdir": (0,),
    "os.symlink": (1,), "os.link": (1,), "os.truncate": (0,), "os.chmod": (0,),
    "os.chown": (0,), "os.utime": (0,), "os.chflags": (0,), "os.lchflags": (0,),
    "os.lchmod": (0,), "os.setxattr": (0,), "os.removexattr": (0,),
    "shutil.rmtree": (0,), "tempfile.mkstemp": (0,), "tempfile.mkdtemp": (0,),
}
_DIR_FD = {"os.mkdir": 2, "os.remove": 1, "os.rmdir": 1, "os.symlink": 2, "os.chmod": 2,
           "os.chown": 3, "os.utime": 3, "shutil.rmtree": 1}
_PROCESSES = ("os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.exec", "subprocess.Popen")


class Refused(PermissionError):
    """An operation the self-test does not allow."""


def block_network() -> str | None:
    """Install the kernel filter; None when done, else why it could not be."""
    arch = _ARCHES.get(platform.machine().lower())
    if sys.platform != "linux" or arch is None:
        return f"no seccomp filter for {sys.platform}/{platform.machine()}"
    program = b"".join([
        _stmt(_LD, 4), _stmt(_JEQ, arch[0], 0, 5),  # another architecture: allowed
        _stmt(_LD, 0), _stmt(_JEQ, arch[1], 0, 3),  # not socket(): allowed
        _stmt(_LD, 16), _stmt(_JEQ, socket.AF_UNIX, 1, 0),  # socket(AF_UNIX, ...): allowed
        _stmt(_RET, _ERRNO | errno.EACCES), _stmt(_RET, _ALLOW),
    ])
    filters = ctypes.create_string_buffer(program, len(program))
    fprog = struct.pack("HxxxxxxP", len(program) // 8, ctypes.addressof(filters))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return f"prctl(NO_NEW_PRIVS) failed: {os.strerror(ctypes.get_errno())}"
    prog = ctypes.create_string_buffer(fprog, len(fprog))
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        return f"prctl(SECCOMP) failed: {os.strerror(ctypes.get_errno())}"
    return None


def confine_writes(root: str) -> str | None:
    """Let the kernel (Landlock) refuse any write, creation or removal outside `root` to this
    process and those it starts; None when done, else why it could not be."""
    if sys.platform != "linux":
        return f"no Landlock on {sys.platform}"
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(_SYS_LANDLOCK[0], None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    if abi < 1:
        return f"Landlock not available: {os.strerror(ctypes.get_errno())}"
    handled = _LANDLOCK_WRITES | (1 << 13 if abi >= 2 else 0) | (1 << 14 if abi >= 3 else 0)
    attr = ctypes.create_string_buffer(struct.pack("Q", handled), 8)
    ruleset = libc.syscall(_SYS_LANDLOCK[0], attr, ctypes.c_size_t(8), ctypes.c_uint32(0))
    if ruleset < 0:
        return f"landlock_create_ruleset failed: {os.strerror(ctypes.get_errno())}"
    try:
        for path, access in ((root, handled), (os.devnull, (1 << 1) | (handled & (1 << 14)))):
            folder = os.open(path, os.O_PATH | os.O_CLOEXEC)
            rule = ctypes.create_string_buffer(struct.pack("=Qi", access, folder), 12)
            added = libc.syscall(_SYS_LANDLOCK[1], ctypes.c_int(ruleset), ctypes.c_int(1), rule, ctypes.c_uint32(0))
            os.close(folder)
            if added < 0:
                return f"landlock_add_rule failed: {os.strerror(ctypes.get_errno())}"
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        if libc.syscall(_SYS_LANDLOCK[2], ctypes.c_int(ruleset), ctypes.c_uint32(0)) < 0:
            return f"landlock_restrict_self failed: {os.strerror(ctypes.get_errno())}"
    finally:
        os.close(ruleset)
    return None


def kernel_refuses_write(path: str) -> bool:
    """True when the kernel refuses to create `path` (removed again if it was created)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except PermissionError:
        return True
    os.unlink(path)  # the probe file this function just created
    return False


def _stmt(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    """One classic-BPF instruction (struct sock_filter)."""
    return struct.pack("HBBI", code, jt, jf, k)


def kernel_refuses_inet() -> bool:
    """True when the kernel refuses an AF_INET and an AF_INET6 socket (the C-level call)."""
    import _socket

    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            _socket.socket(family, socket.SOCK_STREAM).close()
        except PermissionError:
            continue
        return False
    return True


@dataclass
class Watch:
    """The audit hook's record: what was refused, what was written, processes started."""

    root: str
    """The temporary folder: the only place writes are allowed."""
    network: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    written: list[tuple[str, str]] = field(default_factory=list)
    """(event, path) of each change this process made inside the temporary folder."""
    processes: int = 0
    unix_sockets: int = 0
    probing: bool = False
    """Set while the self-test probes itself: a refusal then is not counted against casefile."""

    def install(self) -> None:
        """Add the hook to this interpreter (for good: audit hooks cannot be removed)."""
        self.root = os.path.join(os.path.realpath(self.root), "")
        sys.addaudithook(self)

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        """The hook: called by Python for every audited operation (fast for those it ignores)."""
        if event.startswith("socket."):
            self._socket(event, args)
        elif event == "open":
            self._open(args)
        elif event in _CHANGES:
            for position in _CHANGES[event]:
                self._write(event, _where(args[position], _dir_fd(event, args)))
        elif event.startswith(_PROCESSES):
            self.processes += 1

    def _socket(self, event: str, args: tuple[Any, ...]) -> None:
        """Allow AF_UNIX sockets (asyncio's self-pipe); refuse every other socket call."""
        if event == "socket.__new__" and len(args) > 1 and args[1] == socket.AF_UNIX:
            self.unix_sockets += 1
            return
        if not self.probing:
            self.network.append(event)
        raise Refused(f"{event} refused: casefile must never use the network")

    def _open(self, args: tuple[Any, ...]) -> None:
        """A file opened for writing, appending or creating."""
        path, mode, flags = ((*tuple(args), None, None))[:3]
        writing = isinstance(flags, int) and flags & _WRITE_FLAGS
        if writing or (isinstance(mode, str) and set(mode) & set("wax+")):
            self._write("open", _where(path, None))

    def _write(self, event: str, where: str | None) -> None:
        """Allow a change inside the temporary folder; refuse and count any other."""
        if where is not None and where.startswith(self.root):
            self.written.append((event, where))
            return
        if not self.probing:
            self.outside.append(f"{event} {where!r}")
        raise Refused(f"{event} outside the self-test's folder refused")


def _dir_fd(event: str, args: tuple[Any, ...]) -> Any:
    """The dir_fd argument of an event, when it has one."""
    position = _DIR_FD.get(event)
    return args[position] if position is not None and position < len(args) else None


def _where(path: Any, dir_fd: Any) -> str | None:
    """The absolute, symlink-resolved path an operation touches (None if unknown)."""
    try:
        if isinstance(path, int):
            return _fd_path(path)
        path = os.fsdecode(path)
        if isinstance(dir_fd, int) and dir_fd >= 0 and not os.path.isabs(path):
            path = os.path.join(_fd_path(dir_fd), path)
        head, tail = os.path.split(os.path.abspath(path))
        joined: str = os.path.join(os.path.realpath(head), tail)
        return joined
    except (OSError, TypeError, ValueError):
        return None


def _fd_path(fd: int) -> str:
    """The path an open descriptor refers to (Linux /proc, or macOS F_GETPATH)."""
    if os.path.isdir("/proc/self/fd"):
        return os.readlink(f"/proc/self/fd/{fd}")
    import fcntl

    found: bytes = fcntl.fcntl(fd, fcntl.F_GETPATH, bytes(1024))  # type: ignore[attr-defined]  # macOS only
    return os.fsdecode(found.rstrip(b"\0"))
