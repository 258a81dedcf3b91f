using MovieRec.Core.Data;

namespace MovieRec.Core.Tests.Data;

public class MovieTitleTests
{
    [Theory]
    [InlineData("Matrix, The (1999)", "The Matrix", 1999)]
    [InlineData("Toy Story (1995)", "Toy Story", 1995)]
    [InlineData("City of Lost Children, The (Cité des enfants perdus, La) (1995)", "The City of Lost Children (Cité des enfants perdus, La)", 1995)]
    [InlineData("Babylon 5", "Babylon 5", null)]
    [InlineData("Enfer, L' (1994)", "L'Enfer", 1994)]
    [InlineData("Stranger Things (2016-)", "Stranger Things", 2016)]
    [InlineData("Seven (a.k.a. Se7en) (1995) ", "Seven (a.k.a. Se7en)", 1995)]
    public void Parses_display_title_and_year(string raw, string display, int? year)
    {
        var (d, y) = MovieTitle.Parse(raw);
        Assert.Equal(display, d);
        Assert.Equal(year, y);
    }

    [Fact]
    public void Scale_detection_finds_half_and_whole_stars()
    {
        Assert.Equal(new RatingScale(1, 5, 1), RatingScale.Detect([1f, 3f, 5f]));
        Assert.Equal(new RatingScale(0.5f, 5, 0.5f), RatingScale.Detect([0.5f, 3.5f, 5f]));
        Assert.Null(RatingScale.HalfStars.Check(4.5f));
        Assert.NotNull(RatingScale.HalfStars.Check(4.25f));
        Assert.NotNull(RatingScale.WholeStars.Check(0f));
    }
}
