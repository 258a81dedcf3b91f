namespace MovieRec.Cli.Tests;

/// <summary>Runs the `movierec` command in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = MovieRecCli.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
