using MovieRec.Core.Evaluation;

namespace MovieRec.Core.Tests.Evaluation;

/// <summary>
/// On the new-user protocol a held-out user's own tags would tell content models what they watched: while the scope
/// lives, movies carry only the training users' tags; afterwards, all of them again.
/// </summary>
public sealed class TrainingUsersTagsTests
{
    [Fact]
    public void Held_out_users_tags_are_gone_while_the_scope_lives_and_back_after()
    {
        var dataset = TestData.LoadMovieLensSmallCopy(); // its movies change while the scope lives
        var split = NewUserProtocol.Split(dataset.Ratings, new NewUserSettings { Seed = 0 });
        var held = split.Users.Select(u => split.Train.UserIds.ToRawNumeric(u.User)).ToHashSet();
        var onlyHeld = dataset.Tags.GroupBy(t => (t.MovieId, Tag: t.Tag.ToLowerInvariant()))
            .Where(g => g.All(t => held.Contains(t.UserId))).Select(g => g.Key).ToList();
        var alsoTraining = dataset.Tags.Where(t => !held.Contains(t.UserId)).Select(t => (t.MovieId, Tag: t.Tag.ToLowerInvariant())).Distinct().ToList();
        Assert.NotEmpty(onlyHeld); // seed 0 holds out people who tagged
        var before = dataset.Catalog.Movies.ToDictionary(m => m.Id, m => m.Tags.ToArray());
        using (var scope = TrainingUsersTags.Restrict(dataset, split))
        {
            Assert.True(scope.ChangedMovies > 0);
            foreach (var (movie, tag) in onlyHeld)
                Assert.DoesNotContain(dataset.Catalog[movie]!.Tags, t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase));
            foreach (var (movie, tag) in alsoTraining)
                Assert.Contains(dataset.Catalog[movie]!.Tags, t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase));
        }
        Assert.All(dataset.Catalog.Movies, m => Assert.Equal(before[m.Id], m.Tags));
    }
}
