"""Python volume throughput against `dvidxfer serve`, with the C++ figures of the same run.

  /usr/bin/python3 python/benchmarks/volume_bench.py [--dvidxfer build/bin/dvidxfer]
      [--shape 512] [--rounds 10] [--repetitions 2] [--threads-shape 256]

(1) get_labels3D / put_labels3D of a shape^3 label volume (lz4, throttle off) from Python versus
    `dvidxfer bench` (C++, the same engine, server process and volume), in `rounds` alternating
    rounds of `repetitions` calls each (after a warm-up call each); prints median seconds and the
    Python/C++ ratio.
(2) against the same server emulating a remote DVID (20 ms per response, 100 MB/s per
    connection): 4 Python threads each fetching a threads-shape^3 volume at once versus one thread
    fetching one, median of 5; prints the throughput ratio. Labels (lz4) and grayscale (raw, and
    DVID's stored lz4 blocks with compress=True), each with one DVIDNodeService shared by the
    threads (default settings, then max_connections=32) and with one service per thread
    (libdvid's documented model; default settings).
    Also prints the CPU seconds one fetch costs the client and the server, and the ratio the
    machine's cores allow when both run on it.
Run with PYTHONPATH=<build>/python.
"""
import argparse
import json
import os
import statistics
import subprocess
import threading
import time
import urllib.request

import dvidxfer
import numpy


class Serve:
    def __init__(self, binary):
        self.process = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)
        self.url = self.process.stdout.readline().split("listening on ", 1)[1].strip()

    def set_network(self, latency_ms, bandwidth_bytes_per_second):
        body = json.dumps({"latency_ms": latency_ms,
                           "bandwidth_bytes_per_second": bandwidth_bytes_per_second}).encode()
        urllib.request.urlopen(urllib.request.Request(f"{self.url}/api/server/faults", data=body,
                                                      method="POST")).close()

    def cpu_seconds(self):
        """User + system CPU seconds the server process has used so far."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.process.terminate()
        self.process.wait()


def cpp_seconds(binary, url, uuid, operation, shape, repetitions):
    """`dvidxfer bench` (C++, one process): its seconds per repetition, after one warm-up
    repetition (a new process's first call also opens its connections)."""
    output = subprocess.run(
        [binary, "bench", url, uuid, "labels", "--op", operation, "--shape",
         f"{shape},{shape},{shape}", "--repetitions", str(repetitions + 1), "--throttle", "off",
         "--json"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output)["modes"][0]["seconds_per_repetition"][1:]


def timed(call):
    """Seconds `call` took. Its result is freed after the clock stops, as `dvidxfer bench` frees
    its buffer after timing (unmapping a gigabyte costs tens of milliseconds)."""
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    del result
    return seconds


def compare_with_cpp(binary, server, uuid, shape, rounds, repetitions):
    """Median seconds of Python and of C++ per call, in `rounds` alternating rounds of
    `repetitions` each, each round after a warm-up call. Many short rounds keep a drift in the
    machine's load from landing on one side only."""
    node = dvidxfer.DVIDNodeService(server.url, uuid)
    box = (shape, shape, shape)
    # The C++ PUT writes its synthetic labels; Python reads them back and writes the same array.
    cpp_seconds(binary, server.url, uuid, "put", shape, 1)
    labels = node.get_labels3D("labels", box, (0, 0, 0), throttle=False)
    calls = {"get": lambda: node.get_labels3D("labels", box, (0, 0, 0), throttle=False),
             "put": lambda: node.put_labels3D("labels", labels, (0, 0, 0), throttle=False)}
    results = {}
    for operation, call in calls.items():
        python_times, cpp_times = [], []
        for _ in range(rounds):
            cpp_times += cpp_seconds(binary, server.url, uuid, operation, shape, repetitions)
            python_times += [timed(call) for _ in range(repetitions + 1)][1:]
        results[operation] = (statistics.median(python_times), statistics.median(cpp_times))
    return results


def threads_versus_one(server, services, fetch):
    """Median seconds of one fetch and of 4 threads each doing one at once (thread i uses
    services[i]), and the CPU seconds (client, server) one fetch costs on average."""
    def four_at_once():
        threads = [threading.Thread(target=fetch, args=(service,)) for service in services]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    one, four = [], []
    client_cpu = server_cpu = 0.0
    for _ in range(5):
        client_before, server_before = time.process_time(), server.cpu_seconds()
        one.append(timed(lambda: fetch(services[0])))
        client_cpu += time.process_time() - client_before
        server_cpu += server.cpu_seconds() - server_before
        four.append(timed(four_at_once))
    return statistics.median(one), statistics.median(four), (client_cpu / 5, server_cpu / 5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dvidxfer", default="build/bin/dvidxfer")
    parser.add_argument("--shape", type=int, default=512)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repetitions", type=int, default=2)
    parser.add_argument("--threads-shape", type=int, default=256)
    args = parser.parse_args()

    server = Serve(args.dvidxfer)
    try:
        uuid = dvidxfer.DVIDServerService(server.url).create_new_repo("bench", "python bench")
        setup = dvidxfer.DVIDNodeService(server.url, uuid)
        setup.create_labelblk("labels")
        setup.create_grayscale8("gray")
        voxel_bytes = args.shape**3 * 8
        for operation, (python, cpp) in compare_with_cpp(args.dvidxfer, server, uuid, args.shape,
                                                         args.rounds, args.repetitions).items():
            print(f"{operation}_labels3D {args.shape}^3: Python {python:.3f} s "
                  f"({voxel_bytes / python / 1e6:.0f} MB/s), C++ {cpp:.3f} s "
                  f"({voxel_bytes / cpp / 1e6:.0f} MB/s), Python/C++ time {python / cpp:.3f}")

        shape = args.threads_shape
        box = (shape,) * 3
        # Uniform noise: lz4 cannot shrink it, so "gray lz4" (DVID's stored blocks, sent as
        # stored) carries as many bytes as "gray raw", the network's worst case. The labels are
        # the ones part (1) stored.
        gray = numpy.random.default_rng(7).integers(0, 256, box, dtype=numpy.uint8)
        setup.put_gray3D("gray", gray, (0, 0, 0), throttle=False)
        fetches = {
            "labels": (8, lambda node: node.get_labels3D("labels", box, (0, 0, 0),
                                                         throttle=False)),
            "gray raw": (1, lambda node: node.get_gray3D("gray", box, (0, 0, 0),
                                                         throttle=False)),
            "gray lz4": (1, lambda node: node.get_gray3D("gray", box, (0, 0, 0), throttle=False,
                                                         compress=True)),
        }
        server.set_network(latency_ms=20, bandwidth_bytes_per_second=100_000_000)
        print("latency 20 ms, 100 MB/s per connection; 4 threads each fetching a "
              f"{shape}^3 volume at once versus one thread fetching one:")
        shared = dvidxfer.DVIDNodeService(server.url, uuid)
        # Threads sharing a service share its connections: 4 x the default 8 for this one.
        wide = dvidxfer.DVIDNodeService(server.url, uuid,
                                        options=dvidxfer.ClientOptions(max_connections=32))
        own = [dvidxfer.DVIDNodeService(server.url, uuid) for _ in range(4)]
        for name, (voxel_bytes, fetch) in fetches.items():
            for model, services in (("one service shared", [shared] * 4),
                                    ("one service shared, max_connections=32", [wide] * 4),
                                    ("one service per thread", own)):
                one, four, (client_cpu, server_cpu) = threads_versus_one(server, services, fetch)
                volume_bytes = shape**3 * voxel_bytes
                # Client and emulated server share this machine's cores: 4 fetches at once cannot
                # beat cores / (CPU seconds of one fetch) fetches per second.
                ceiling = min(4.0, os.cpu_count() * one / (client_cpu + server_cpu))
                print(f"  {name}, {model}: one {one:.3f} s ({volume_bytes / one / 1e6:.0f} MB/s), "
                      f"4 threads {four:.3f} s ({4 * volume_bytes / four / 1e6:.0f} MB/s), "
                      f"throughput {4 * one / four:.2f}x; one fetch uses {client_cpu:.3f} + "
                      f"{server_cpu:.3f} CPU s (client + server): {os.cpu_count()} cores allow "
                      f"at most {ceiling:.2f}x")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
