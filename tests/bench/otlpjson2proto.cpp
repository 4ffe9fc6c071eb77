// otlpjson2proto: converts OTLP JSON (one request, or JSON Lines of requests as genotlp writes) into the OpenTelemetry
// Collector file exporter's proto format (records of a 4-byte big-endian length and a binary
// ExportTraceServiceRequest), with protobuf's own JSON parser. For the protobuf import benchmark.
//
//   otlpjson2proto IN.jsonl OUT.pb
//
// Streams line by line. Prints one line on stdout: "records=N bytes=B".

#include "otlpprotoconvert.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s IN.jsonl OUT.pb\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    if (!in || !out) {
        std::fprintf(stderr, "otlpjson2proto: cannot open %s\n", !in ? argv[1] : argv[2]);
        return 1;
    }
    std::string line;
    unsigned long long records = 0, bytes = 0, number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        std::string error;
        const std::string binary = ProtoConvert::jsonToBinary(line, error);
        if (!error.empty()) {
            std::fprintf(stderr, "otlpjson2proto: %s line %llu: %s\n", argv[1], number, error.c_str());
            return 1;
        }
        if (binary.empty())
            continue;
        const std::string record = ProtoConvert::lengthPrefixed({ binary });
        out.write(record.data(), static_cast<std::streamsize>(record.size()));
        ++records;
        bytes += record.size();
    }
    out.flush();
    if (!out) {
        std::fprintf(stderr, "otlpjson2proto: write error on %s\n", argv[2]);
        return 1;
    }
    std::printf("records=%llu bytes=%llu\n", records, bytes);
    return 0;
}
