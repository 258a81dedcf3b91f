namespace MovieRec.Core.Models;

/// <summary>
/// Errors for model files that are not one, are of an unknown version, or are truncated or corrupt. They are
/// <see cref="InvalidDataException"/>s (a sealed type) whose message starts with the file's path.
/// </summary>
public static class ModelFileError
{
    public static InvalidDataException Create(string path, string problem) => new($"{path}: not a usable MovieRec model file: {problem}.");

    public static InvalidDataException Create(string path, Exception inner) =>
        new($"{path}: not a usable MovieRec model file: {inner?.Message}", inner);
}
