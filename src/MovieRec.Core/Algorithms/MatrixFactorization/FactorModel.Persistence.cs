using MovieRec.Core.Models;

namespace MovieRec.Core.Algorithms.MatrixFactorization;

/// <summary>
/// Model files: biases, user vectors, item factors, the known flags and each user's training ratings (subclasses add
/// their own arrays, SVD++ its y).
/// </summary>
public abstract partial class FactorModel
{
    /// <summary>Writes the common arrays; subclasses add theirs.</summary>
    public virtual void WriteArrays(ModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("user_bias", UserBias);
        writer.Write("item_bias", ItemBias);
        writer.Write("user_vectors", UserVectors);
        writer.Write("item_factors", ItemFactors);
        writer.Write("rated_offsets", RatedOffsets);
        writer.Write("rated_items", RatedItems);
        writer.Write("rated_values", RatedValues);
        writer.Write("known_users", ToBytes(_knownUsers));
        writer.Write("known_items", ToBytes(_knownItems));
    }

    public ModelHeader Header => new(Name, OptionsJson, UserIds, ItemIds, Scale, GlobalMean);

    /// <summary>Restores the state written by <see cref="WriteArrays"/>.</summary>
    protected internal virtual void ReadArrays(ModelContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        UserIds = contents.UserIds;
        ItemIds = contents.ItemIds;
        UserBias = contents.Floats("user_bias");
        ItemBias = contents.Floats("item_bias");
        UserVectors = contents.Floats("user_vectors");
        ItemFactors = contents.Floats("item_factors");
        RatedOffsets = contents.Ints("rated_offsets");
        RatedItems = contents.Ints("rated_items");
        RatedValues = contents.Floats("rated_values");
        _knownUsers = FromBytes(contents.Bytes("known_users"));
        _knownItems = FromBytes(contents.Bytes("known_items"));
        int users = UserIds.Count, items = ItemIds.Count;
        if (UserBias.Length != users || ItemBias.Length != items || UserVectors.Length != (long)users * Factors
            || ItemFactors.Length != (long)items * Factors || RatedOffsets.Length != users + 1 || _knownUsers.Length != users
            || _knownItems.Length != items || RatedItems.Length != RatedValues.Length || RatedOffsets[users] != RatedItems.Length)
            throw ModelFileError.Create(contents.Path, "array sizes do not match the id maps and the factor count");
        _loss.Clear();
        RestoreFitted(contents.Scale, contents.GlobalMean, _knownUsers, _knownItems);
    }

    private static byte[] ToBytes(bool[] flags)
    {
        var b = new byte[flags.Length];
        for (int i = 0; i < flags.Length; i++) b[i] = flags[i] ? (byte)1 : (byte)0;
        return b;
    }

    private static bool[] FromBytes(byte[] b)
    {
        var flags = new bool[b.Length];
        for (int i = 0; i < b.Length; i++) flags[i] = b[i] != 0;
        return flags;
    }
}
