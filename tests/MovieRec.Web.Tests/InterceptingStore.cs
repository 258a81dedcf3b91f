using System.Reflection;
using MovieRec.Web.Storage;

namespace MovieRec.Web.Tests;

/// <summary>
/// An <see cref="IRatingStore"/> that passes every call to a real store, except that <see cref="Before"/> runs first
/// and may answer instead (a non-null result): a race or a fault at one exact call.
/// </summary>
public class InterceptingStore : DispatchProxy
{
    private IRatingStore _inner = null!;
    private Func<IRatingStore, MethodInfo, object?[], object?> _before = null!;

    /// <summary>Runs before each call with the real store, the method and its arguments; non-null: the call's result.</summary>
    public static IRatingStore Wrap(IRatingStore inner, Func<IRatingStore, MethodInfo, object?[], object?> before)
    {
        var proxy = Create<IRatingStore, InterceptingStore>();
        var self = (InterceptingStore)(object)proxy;
        self._inner = inner;
        self._before = before;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        args ??= [];
        return _before(_inner, targetMethod, args) ?? targetMethod.Invoke(_inner, args);
    }
}
