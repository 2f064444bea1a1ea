using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(McpSsh.MicroBench.Frames).Assembly).Run(args);
