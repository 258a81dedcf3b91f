using MovieRec.Cli;

return MovieRecCli.Run(args, Console.Out, Console.Error);
