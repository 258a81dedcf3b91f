using System.CommandLine;
using System.CommandLine.Parsing;
using MovieRec.Cli.Commands;
using MovieRec.Core.Data;
using Spectre.Console;

namespace MovieRec.Cli;

/// <summary>The `movierec` command: builds the command tree and turns user mistakes into one clear line.</summary>
public static class MovieRecCli
{
    /// <summary>Exit code for a mistake in the input (bad file, unknown dataset, invalid option).</summary>
    public const int UserError = 2;

    /// <summary>
    /// Columns of plain (non-terminal) output: wide enough that no message or table row wraps, even one naming two
    /// paths of Linux's 4,096-character limit (400 columns wrapped "Downloads go to" before a long MOVIEREC_DATA).
    /// </summary>
    public const int UnwrappedWidth = 1 << 15;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        // A terminal gets colours and its own width; a pipe, a file or a test's writer gets plain text that never
        // wraps at 80 columns (a long path in a message stays on one line, whatever the terminal the test ran in).
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal) console.Profile.Width = UnwrappedWidth;
        var context = new CliContext(console, output, error);
        var parse = Parse(Commands(context), args);
        if (ParseErrors(parse, error) is int code) return code;
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsUserError(e))
        {
            error.WriteLine($"error: {MessageOf(e)}");
            return UserError;
        }
    }

    /// <summary>The whole `movierec` command tree.</summary>
    internal static RootCommand Commands(CliContext context)
    {
        var root = new RootCommand("MovieRec: movie recommendations, fast. Datasets are found by path, or by name under MOVIEREC_DATA or the download cache.");
        root.Subcommands.Add(DataCommands.Create(context));
        foreach (var command in DiscoverCommands.Create(context)) root.Subcommands.Add(command);
        root.Subcommands.Add(ExportCommands.Create(context));
        EvaluateCommands.AddTo(root, context);
        foreach (var command in ModelCommands.Create(context)) root.Subcommands.Add(command);
        root.Subcommands.Add(ImportCommands.Create(context));
        return root;
    }

    /// <summary>Parses <paramref name="args"/> against <paramref name="root"/>, hidden aliases taken as their option's name.</summary>
    internal static ParseResult Parse(RootCommand root, string[] args) => root.Parse(CommonOptions.Respell(root, args));

    /// <summary>
    /// A command line that does not parse (an unknown option, '--seed abc') is a user error like any other: its
    /// problems, one line each in words ("must be an integer", not "expected type 'System.Int32'"), where to find the
    /// options, and exit code 2 (System.CommandLine's default printed the whole help and returned 1). Null when it parsed.
    /// </summary>
    internal static int? ParseErrors(ParseResult parse, TextWriter error)
    {
        if (parse.Errors.Count == 0) return null;
        foreach (var problem in parse.Errors)
            error.WriteLine($"error: {SwitchGivenAValue(parse, problem) ?? WrongType(problem) ?? InWords(NamingTheOption(problem))}");
        var command = parse.CommandResult.Command;
        var path = new List<string>();
        for (var c = parse.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
            path.Insert(0, c.Command is RootCommand ? "movierec" : c.Command.Name);
        error.WriteLine($"{string.Join(' ', path)} --help lists the {(command.Subcommands.Count > 0 ? "commands" : "options")}.");
        return UserError;
    }

    /// <summary>
    /// A value outside an option's choices, in one line naming the option ("--format must be csv or dat, not 'xyz'."):
    /// System.CommandLine's "Argument 'xyz' not recognized. Must be one of:" named neither and listed them a line each.
    /// </summary>
    private static string NamingTheOption(ParseError problem)
    {
        const string NotRecognized = "' not recognized. Must be one of:";
        int at = problem.Message.IndexOf(NotRecognized, StringComparison.Ordinal);
        var option = problem.SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            _ => null,
        };
        if (at < 0 || option is null || !problem.Message.StartsWith("Argument '", StringComparison.Ordinal)) return problem.Message;
        string value = problem.Message[10..at];
        var choices = problem.Message[(at + NotRecognized.Length)..]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.Trim('\'')).ToList();
        string listed = choices.Count > 1 ? $"{string.Join(", ", choices[..^1])} or {choices[^1]}" : string.Join("", choices);
        return $"{option.Name} must be {listed}, not '{value}'.";
    }

    /// <summary>
    /// A value after a switch (`clusters --users 610`, `--users=610`): the switch, that it takes no value, and what it
    /// does. System.CommandLine left the value unmatched and said only "Unrecognized command or argument '610'".
    /// </summary>
    private static string? SwitchGivenAValue(ParseResult parse, ParseError problem)
    {
        const string Unrecognized = "Unrecognized command or argument '";
        if (!problem.Message.StartsWith(Unrecognized, StringComparison.Ordinal) || !problem.Message.EndsWith("'.", StringComparison.Ordinal)) return null;
        string value = problem.Message[Unrecognized.Length..^2];
        var tokens = parse.Tokens;
        for (int i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Type != TokenType.Argument || tokens[i].Value != value || tokens[i - 1].Type != TokenType.Option) continue;
            for (SymbolResult? result = parse.CommandResult; result is not null; result = result.Parent)
            {
                if (result is not CommandResult command) continue;
                foreach (var child in command.Children)
                {
                    if (child is OptionResult { Option: Option<bool> flag } given && given.IdentifierToken?.Equals(tokens[i - 1]) == true)
                        return $"{flag.Name} is a switch and takes no value, not '{value}'.{Meaning(flag, flag.Name)}";
                }
            }
        }
        return null;
    }

    /// <summary>
    /// An option's value of the wrong type (`-k abc`, `--seed 1.5`): the option, what it accepts and what it means
    /// ("--k must be an integer, not 'abc'. --k: Number of clusters ..."), worded as the other refusals.
    /// </summary>
    private static string? WrongType(ParseError problem)
    {
        const string CannotParse = "Cannot parse argument '";
        var given = problem.SymbolResult switch
        {
            OptionResult o => o,
            ArgumentResult { Parent: OptionResult o } => o,
            _ => null,
        };
        int end = problem.Message.IndexOf("' for option '", StringComparison.Ordinal);
        if (given is null || !problem.Message.StartsWith(CannotParse, StringComparison.Ordinal) || end < CannotParse.Length
            || Kind(problem.Message) is not { } kind) return null;
        // Named as the user spelt it (-k, not --k).
        string name = given.IdentifierToken?.Value ?? given.Option.Name;
        return $"{name} must be {kind}, not '{problem.Message[CannotParse.Length..end]}'.{Meaning(given.Option, name)}";
    }

    /// <summary>" --k: Number of clusters ...", from the option's help, ending in a full stop; empty without one.</summary>
    private static string Meaning(Option option, string name)
    {
        string description = (option.Description ?? "").Trim();
        if (description.Length == 0) return "";
        return $" {name}: {description}{(description.EndsWith('.') ? "" : ".")}";
    }

    private static string InWords(string message)
    {
        int at = message.IndexOf(" as expected type '", StringComparison.Ordinal);
        if (at < 0 || Kind(message) is not { } kind) return message;
        return string.Concat(message.AsSpan(0, at), $": it must be {kind}.");
    }

    /// <summary>The type in "... as expected type 'System.Int32'." in words ("an integer"); null without one.</summary>
    private static string? Kind(string message)
    {
        int at = message.IndexOf(" as expected type '", StringComparison.Ordinal);
        if (at < 0) return null;
        int end = message.IndexOf('\'', at + 19);
        string type = end < 0 ? "" : message[(at + 19)..end];
        return type switch
        {
            "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "an integer",
            "System.Double" or "System.Single" or "System.Nullable`1[System.Double]" or "System.Nullable`1[System.Single]" => "a number",
            "System.Boolean" => "true or false",
            _ => "a " + type[(type.LastIndexOf('.') + 1)..].ToLowerInvariant(),
        };
    }

    /// <summary>
    /// The sentence for the user: an <see cref="ArgumentException"/>'s message without the " (Parameter 'folds')" that
    /// .NET appends, which names a C# parameter, not anything the user typed.
    /// </summary>
    internal static string MessageOf(Exception e) =>
        e is ArgumentException { ParamName: { } name } argument
            ? argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
            : e.Message;

    private static bool IsUserError(Exception e) =>
        e is DataFormatException or DatasetNotFoundException or DirectoryNotFoundException or FileNotFoundException
            or ArgumentException or UnauthorizedAccessException or CliException or IOException;
}

/// <summary>What every command needs: where to write.</summary>
public sealed record CliContext(IAnsiConsole Console, TextWriter Output, TextWriter Error);

/// <summary>A mistake the user can fix; printed as one line, exit code 2.</summary>
public sealed class CliException : Exception
{
    public CliException(string message) : base(message) { }

    public CliException() { }

    public CliException(string message, Exception inner) : base(message, inner) { }
}
