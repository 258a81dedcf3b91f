using MovieRec.Core.Algorithms;
using MovieRec.Core.Data;

namespace MovieRec.Core.Models;

/// <summary>A trained model that can be written to a <see cref="ModelFile"/>.</summary>
public interface IPersistentModel : IRecommender
{
    /// <summary>Algorithm name, options, id maps, scale and global mean.</summary>
    ModelHeader Header { get; }

    /// <summary>Writes the model's arrays.</summary>
    void WriteArrays(ModelWriter writer);
}

/// <summary>What a model file says about its model besides the arrays.</summary>
public sealed record ModelHeader(string Algorithm, string OptionsJson, IdMap UserIds, IdMap ItemIds, RatingScale Scale, double GlobalMean);
