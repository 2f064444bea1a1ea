using McpSsh.Cli;

// Thin on purpose: everything, including error printing and exit codes, lives in CliApp.
return await CliApp.RunAsync(args, Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error);
