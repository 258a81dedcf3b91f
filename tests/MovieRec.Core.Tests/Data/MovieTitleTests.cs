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

    [Theory]
    [InlineData("Boot, Das (Boat, The) (1981)", "Das Boot")]
    [InlineData("Spirited Away (Sen to Chihiro no kamikakushi) (2001)", "Spirited Away")]
    [InlineData("Léon: The Professional (a.k.a. The Professional) (Léon) (1994)", "Léon: The Professional")]
    [InlineData("Seven (a.k.a. Se7en) (1995)", "Seven")]
    [InlineData("Toy Story (1995)", "Toy Story")]
    [InlineData("Birdman: Or (The Unexpected Virtue of Ignorance) (2014)", "Birdman: Or (The Unexpected Virtue of Ignorance)")]
    [InlineData("(500) Days of Summer (2009)", "(500) Days of Summer")]
    [InlineData("Babylon 5", "Babylon 5")]
    public void The_short_title_drops_the_alternative_titles_in_parentheses(string raw, string spoken)
    {
        var movie = new Movie(1, raw, []);
        Assert.Equal(spoken, movie.ShortTitle);
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
