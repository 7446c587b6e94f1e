using Crawler.Cli;

return await CliApp.RunAsync(args, Console.Out, Console.Error, CliEnvironment.Process, CancellationToken.None);
