"""Python volume throughput against `dvidxfer serve`, with the C++ figures of the same run.

  /usr/bin/python3 python/benchmarks/volume_bench.py [--dvidxfer build/bin/dvidxfer]
      [--shape 512] [--repetitions 5] [--threads-shape 256]

(1) get_labels3D / put_labels3D of a shape^3 label volume (lz4, throttle off) from Python versus
    `dvidxfer bench` (C++, the same engine, server process and volume), in two alternating rounds
    of `repetitions` calls each; prints median seconds and the Python/C++ ratio.
(2) against the same server emulating a remote DVID (20 ms per response, 100 MB/s per
    connection): 4 Python threads each fetching a threads-shape^3 volume at once versus one thread
    fetching one, median of 5; prints the throughput ratio. Labels (lz4) and grayscale (raw, and
    DVID's stored lz4 blocks with compress=True), each with one DVIDNodeService shared by the
    threads and with one service per thread (libdvid's documented model), default settings.
Run with PYTHONPATH=<build>/python.
"""
import argparse
import json
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

    def stop(self):
        self.process.terminate()
        self.process.wait()


def cpp_seconds(binary, url, uuid, operation, shape, repetitions):
    """`dvidxfer bench` (C++, one warm process): its seconds per repetition."""
    output = subprocess.run(
        [binary, "bench", url, uuid, "labels", "--op", operation, "--shape",
         f"{shape},{shape},{shape}", "--repetitions", str(repetitions), "--throttle", "off",
         "--json"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(output)["modes"][0]["seconds_per_repetition"]


def timed(call):
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def compare_with_cpp(binary, server, uuid, shape, repetitions):
    """Median seconds of Python and of C++ per call, in two rounds of `repetitions` each."""
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
        for _ in range(2):
            cpp_times += cpp_seconds(binary, server.url, uuid, operation, shape, repetitions)
            python_times += [timed(call) for _ in range(repetitions)]
        results[operation] = (statistics.median(python_times), statistics.median(cpp_times))
    return results


def threads_versus_one(services, fetch):
    """Median seconds of one fetch, and of 4 threads each doing one at once (thread i uses
    services[i])."""
    def four_at_once():
        threads = [threading.Thread(target=fetch, args=(service,)) for service in services]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    one, four = [], []
    for _ in range(5):
        one.append(timed(lambda: fetch(services[0])))
        four.append(timed(four_at_once))
    return statistics.median(one), statistics.median(four)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dvidxfer", default="build/bin/dvidxfer")
    parser.add_argument("--shape", type=int, default=512)
    parser.add_argument("--repetitions", type=int, default=5)
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
                                                         args.repetitions).items():
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
        own = [dvidxfer.DVIDNodeService(server.url, uuid) for _ in range(4)]
        for name, (voxel_bytes, fetch) in fetches.items():
            for model, services in (("one service shared", [shared] * 4),
                                    ("one service per thread", own)):
                one, four = threads_versus_one(services, fetch)
                volume_bytes = shape**3 * voxel_bytes
                print(f"  {name}, {model}: one {one:.3f} s ({volume_bytes / one / 1e6:.0f} MB/s), "
                      f"4 threads {four:.3f} s ({4 * volume_bytes / four / 1e6:.0f} MB/s), "
                      f"throughput {4 * one / four:.2f}x")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
