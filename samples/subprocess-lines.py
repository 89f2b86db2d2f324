# PyMOTW-3 "asyncio: Working with Processes" (asyncio_subprocess_coroutine.py) runs `df -hl` and
# parses its output line by line; here the child prints a fixed df-like listing, so both twins
# always see the same lines.
import asyncio
import asyncio.subprocess

LISTING = ('Filesystem Size Used Avail Capacity Mounted\n'
           '/dev/disk1 465Gi 310Gi 155Gi 67% /\n'
           'tmpfs 2.0Gi 1.2Mi 2.0Gi 1% /run\n'
           '/dev/disk2 931Gi 12Gi 919Gi 2% /data\n')


def parse_results(output):
    print('parsing results')
    # The output has one row of headers, all single words. The remaining rows are one per
    # filesystem, with columns matching the headers (assuming that none of the mount points
    # have whitespace in the names).
    if not output:
        return []
    lines = output.splitlines()
    headers = lines[0].split()
    devices = lines[1:]
    results = [dict(zip(headers, line.split())) for line in devices]
    return results


async def run_df():
    print('in run_df')
    buffer = bytearray()
    create = asyncio.create_subprocess_exec(
        'printf', '%s', LISTING,
        stdout=asyncio.subprocess.PIPE,
    )
    print('launching process')
    proc = await create
    print('process started {}'.format(proc.pid > 0))
    while True:
        line = await proc.stdout.readline()
        print('read {!r}'.format(line))
        if not line:
            print('no more output from command')
            break
        buffer.extend(line)
    print('waiting for process to complete')
    await proc.wait()
    return_code = proc.returncode
    print('return code {}'.format(return_code))
    if not return_code:
        cmd_output = bytes(buffer).decode()
        results = parse_results(cmd_output)
    else:
        results = []
    return (return_code, results)


return_code, results = asyncio.run(run_df())
if return_code:
    print('error exit {}'.format(return_code))
else:
    print('\nFree space:')
    for r in results:
        print('{Mounted:25}: {Avail}'.format(**r))
