# Run a command on a pseudo-terminal and answer its prompts (used by wallet-cli.test.ts to check that
# passwords are read without echo). Usage: pty-run.py PROMPT ANSWER [PROMPT ANSWER …] -- CMD ARGS…
# Prints everything the terminal showed; exits with the command's exit code.
import os, pty, select, sys

sep = sys.argv.index('--')
pairs = sys.argv[1:sep]
cmd = sys.argv[sep + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
shown = b''
pending = [(pairs[i].encode(), pairs[i + 1].encode()) for i in range(0, len(pairs), 2)]
while True:
    ready, _, _ = select.select([fd], [], [], 120)
    if not ready:
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
    if pending and shown.endswith(pending[0][0]):
        os.write(fd, pending[0][1] + b'\r')
        pending.pop(0)
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode('utf-8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status))
