namespace MovieRec.Core.Models;

/// <summary>
/// A persistent model that remembers which items each training user rated: what serving from a file needs to tell a
/// known user from an unknown one and to leave out the movies they have already rated.
/// </summary>
public interface IUserHistory
{
    /// <summary>The items the training user rated (empty for an unknown user or one without training ratings).</summary>
    ReadOnlySpan<int> RatedBy(int user);
}
