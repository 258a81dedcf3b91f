using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MovieRec.Web.Tests;

/// <summary>The service's error-level log entries (or from <paramref name="minimum"/> up), as formatted messages.</summary>
internal sealed class ErrorLog(LogLevel minimum = LogLevel.Error) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _errors = new();

    public IReadOnlyCollection<string> Errors => _errors;

    public ILogger CreateLogger(string categoryName) => new Logger(_errors, minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> errors, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) errors.Enqueue(formatter(state, exception));
        }
    }
}
