using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MovieRec.Core.Algorithms.Semantic;

/// <summary>
/// Dynamic int8 quantisation of an ONNX model's weight matrices, done in memory when a model is loaded: every
/// <c>MatMul</c> whose right operand is a constant 2-D float matrix W (K x N) becomes ONNX Runtime's
/// <c>com.microsoft.DynamicQuantizeMatMul</c> with W quantised per output column, symmetric:
/// s_n = max_k |W_kn| / 127, Q_kn = round(W_kn / s_n) in [-127, 127]; the activations are quantised per tensor at run
/// time (uint8 with a zero point) and the int32 products rescaled to float (Jacob et al. 2018; the scheme of ONNX
/// Runtime's quantize_dynamic with per-channel weights). On CPUs with int8 dot-product instructions (AVX-512 VNNI,
/// AVX-VNNI) the matrix products run about twice as fast; the embeddings move little (cosine to the float model's
/// vectors in docs/search.md). A token-embedding table (a float initializer of at least <see cref="MinTableRows"/>
/// rows read by <c>Gather</c> on axis 0: the vocabulary, 30,522 x 384 floats = 45 MiB in all-MiniLM-L6-v2) is kept
/// as int8 per row, symmetric: s_r = max_j |E_rj| / 127, Q_rj = round(E_rj / s_r), and looked up as
/// Gather(Q, ids) cast to float times Gather(s, ids): a quarter of the memory, the same vector to within half a step
/// per element. Everything else in the graph (position embeddings, attention, layer norms) stays float.
/// </summary>
/// <remarks>
/// The model is read and written as protobuf wire format with only the fields this needs (ModelProto.graph and
/// opset_import, GraphProto.node and initializer, NodeProto inputs/outputs/op type, TensorProto dims/type/data);
/// every other field is copied byte for byte. Field numbers are those of onnx.proto.
/// </remarks>
internal static class OnnxQuantizer
{
    private const int FloatType = 1;
    private const int Int8Type = 3;
    private const string MicrosoftDomain = "com.microsoft";

    /// <summary>Embedding tables with fewer rows (positions: 512, token types: 2) stay float: they are small.</summary>
    internal const int MinTableRows = 4096;

    /// <summary>
    /// The quantised model, how many matrices and how many embedding tables were quantised (both 0: the model is
    /// returned as it was).
    /// </summary>
    public static (byte[] Model, int Quantized, int Tables) Quantize(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var fields = Fields(model);
        var graphField = fields.FindIndex(f => f.Number == 7);
        if (graphField < 0) throw new InvalidDataException("the ONNX model has no graph");
        var (graph, quantized, tables) = QuantizeGraph(fields[graphField].Payload(model));
        if (quantized == 0 && tables == 0) return (model, 0, 0);
        var output = new Writer();
        for (int i = 0; i < fields.Count; i++)
        {
            if (i == graphField) output.Bytes(7, graph);
            else output.Raw(fields[i].Raw(model));
        }
        // opset_import { domain: "com.microsoft", version: 1 }
        var opset = new Writer();
        opset.String(1, MicrosoftDomain);
        opset.Varint(2, 1);
        output.Bytes(8, opset.ToArray());
        return (output.ToArray(), quantized, tables);
    }

    private static (byte[] Graph, int Quantized, int Tables) QuantizeGraph(ReadOnlySpan<byte> graph)
    {
        var buffer = graph.ToArray();
        var fields = Fields(buffer);
        var nodes = new List<Node>();
        var initializers = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var f in fields)
        {
            if (f.Number == 1) nodes.Add(Node.Parse(f.Payload(buffer)));
            else if (f.Number == 5)
            {
                var t = Tensor.Parse(f.Payload(buffer));
                initializers[t.Name] = t;
            }
        }
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var input in node.Inputs) uses[input] = uses.GetValueOrDefault(input) + 1;
        }
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        var newNodes = new Dictionary<int, byte[]>();
        var newInitializers = new List<byte[]>();
        int tables = 0, gathers = 0;
        for (int n = 0; n < nodes.Count; n++)
        {
            var node = nodes[n];
            if (node.OpType == "Gather" && node.Domain.Length == 0 && node.Inputs.Count == 2 && node.Outputs.Count == 1 && node.Axis == 0
                && initializers.TryGetValue(node.Inputs[0], out var table) && table.DataType == FloatType && table.Dims.Length == 2
                && table.Dims[0] >= MinTableRows && table.Dims[1] > 1)
            {
                string tqName = table.Name + "_int8", tsName = table.Name + "_row_scale";
                if (replaced.Add(table.Name))
                {
                    var (tq, tScales) = QuantizeRows(table.Floats(), (int)table.Dims[0], (int)table.Dims[1]);
                    newInitializers.Add(TensorBytes(tqName, Int8Type, table.Dims, MemoryMarshal.AsBytes(tq.AsSpan())));
                    newInitializers.Add(TensorBytes(tsName, FloatType, [table.Dims[0], 1], MemoryMarshal.AsBytes(tScales.AsSpan())));
                    tables++;
                }
                // Gather(Q, ids) -> Cast to float -> Mul by Gather(s, ids) (rows x 1, broadcast over the columns).
                string prefix = (node.Name.Length > 0 ? node.Name : node.Outputs[0]) + "_int8";
                string ids = node.Inputs[1], gathered = prefix + "_q", widened = prefix + "_f", rowScales = prefix + "_s";
                var nodesBytes = new Writer();
                nodesBytes.Raw(NodeBytes(1, [tqName, ids], [gathered], prefix + "_gather", "Gather"));
                nodesBytes.Raw(NodeBytes(1, [gathered], [widened], prefix + "_cast", "Cast", castTo: FloatType));
                nodesBytes.Raw(NodeBytes(1, [tsName, ids], [rowScales], prefix + "_gather_scale", "Gather"));
                nodesBytes.Raw(NodeBytes(1, [widened, rowScales], [node.Outputs[0]], prefix + "_scale", "Mul"));
                newNodes[n] = nodesBytes.ToArray();
                gathers++;
                uses[table.Name]--;
                continue;
            }
            if (node.OpType != "MatMul" || node.Domain.Length != 0 || node.Inputs.Count != 2 || node.Outputs.Count != 1) continue;
            if (!initializers.TryGetValue(node.Inputs[1], out var weight) || weight.DataType != FloatType || weight.Dims.Length != 2) continue;
            var (q, scales) = QuantizeColumns(weight.Floats(), (int)weight.Dims[0], (int)weight.Dims[1]);
            string qName = weight.Name + "_int8", sName = weight.Name + "_scale";
            if (replaced.Add(weight.Name))
            {
                newInitializers.Add(TensorBytes(qName, Int8Type, weight.Dims, MemoryMarshal.AsBytes(q.AsSpan())));
                newInitializers.Add(TensorBytes(sName, FloatType, [weight.Dims[1]], MemoryMarshal.AsBytes(scales.AsSpan())));
            }
            var w = new Writer();
            w.String(1, node.Inputs[0]);
            w.String(1, qName);
            w.String(1, sName);
            w.String(2, node.Outputs[0]);
            w.String(3, (node.Name.Length > 0 ? node.Name : node.Outputs[0]) + "_quant");
            w.String(4, "DynamicQuantizeMatMul");
            w.String(7, MicrosoftDomain);
            var framed = new Writer();
            framed.Bytes(1, w.ToArray());
            newNodes[n] = framed.ToArray();
            uses[weight.Name]--;
        }
        if (newNodes.Count == 0) return (buffer, 0, 0);
        var output = new Writer();
        int nodeIndex = 0;
        foreach (var f in fields)
        {
            if (f.Number == 1)
            {
                // A rewritten node is one or more whole NodeProto fields (field 1), already framed.
                if (newNodes.TryGetValue(nodeIndex, out var rewritten)) output.Raw(rewritten);
                else output.Raw(f.Raw(buffer));
                nodeIndex++;
            }
            else if (f.Number == 5)
            {
                var name = Tensor.Parse(f.Payload(buffer)).Name;
                // A weight some other node still reads stays; one only the replaced MatMuls read goes.
                if (!replaced.Contains(name) || uses.GetValueOrDefault(name) > 0) output.Raw(f.Raw(buffer));
            }
            else
            {
                output.Raw(f.Raw(buffer));
            }
        }
        foreach (var t in newInitializers) output.Bytes(5, t);
        return (output.ToArray(), newNodes.Count - gathers, tables);
    }

    /// <summary>A NodeProto as graph field <paramref name="field"/> (framed), in the default domain.</summary>
    private static byte[] NodeBytes(int field, string[] inputs, string[] outputs, string name, string opType, int castTo = 0)
    {
        var w = new Writer();
        foreach (var i in inputs) w.String(1, i);
        foreach (var o in outputs) w.String(2, o);
        w.String(3, name);
        w.String(4, opType);
        if (castTo != 0)
        {
            // attribute { name: "to", i: castTo, type: INT (2) }
            var a = new Writer();
            a.String(1, "to");
            a.Varint(3, (ulong)castTo);
            a.Varint(20, 2);
            w.Bytes(5, a.ToArray());
        }
        var framed = new Writer();
        framed.Bytes(field, w.ToArray());
        return framed.ToArray();
    }

    /// <summary>Symmetric per-row int8: s_r = max_j |E_rj| / 127, Q = round(E / s).</summary>
    internal static (sbyte[] Q, float[] Scales) QuantizeRows(float[] e, int rows, int columns)
    {
        var scales = new float[rows];
        var q = new sbyte[e.Length];
        for (int r = 0; r < rows; r++)
        {
            var row = e.AsSpan(r * columns, columns);
            float max = 0;
            foreach (float v in row) max = MathF.Max(max, MathF.Abs(v));
            float s = max > 0 ? max / 127f : 1f;
            scales[r] = s;
            var qRow = q.AsSpan(r * columns, columns);
            for (int c = 0; c < columns; c++) qRow[c] = (sbyte)Math.Clamp(MathF.Round(row[c] / s, MidpointRounding.ToEven), -127, 127);
        }
        return (q, scales);
    }

    /// <summary>Symmetric per-column int8: s_n = max_k |W_kn| / 127, Q = round(W / s).</summary>
    internal static (sbyte[] Q, float[] Scales) QuantizeColumns(float[] w, int rows, int columns)
    {
        var scales = new float[columns];
        for (int k = 0; k < rows; k++)
        {
            var row = w.AsSpan(k * columns, columns);
            for (int c = 0; c < columns; c++) scales[c] = MathF.Max(scales[c], MathF.Abs(row[c]));
        }
        for (int c = 0; c < columns; c++) scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f;
        var q = new sbyte[w.Length];
        for (int k = 0; k < rows; k++)
        {
            for (int c = 0; c < columns; c++)
                q[k * columns + c] = (sbyte)Math.Clamp(MathF.Round(w[k * columns + c] / scales[c], MidpointRounding.ToEven), -127, 127);
        }
        return (q, scales);
    }

    private static byte[] TensorBytes(string name, int dataType, long[] dims, ReadOnlySpan<byte> raw)
    {
        var t = new Writer();
        foreach (long d in dims) t.Varint(1, (ulong)d);
        t.Varint(2, (ulong)dataType);
        t.String(8, name);
        t.Bytes(9, raw);
        return t.ToArray();
    }

    /// <summary>One field of a message: its number, wire type, and where its tag, payload and end are in the buffer.</summary>
    private readonly record struct Field(int Number, int WireType, int Start, int PayloadStart, int End)
    {
        public ReadOnlySpan<byte> Raw(byte[] buffer) => buffer.AsSpan(Start, End - Start);

        public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> buffer) => buffer[PayloadStart..End];
    }

    private static List<Field> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<Field>();
        int pos = 0;
        while (pos < message.Length)
        {
            int start = pos;
            ulong tag = ReadVarint(message, ref pos);
            int number = (int)(tag >> 3), wire = (int)(tag & 7);
            int payload = pos;
            switch (wire)
            {
                case 0:
                    ReadVarint(message, ref pos);
                    payload = start; // the varint itself is read through Varint()
                    break;
                case 1:
                    pos += 8;
                    break;
                case 2:
                    {
                        int length = checked((int)ReadVarint(message, ref pos));
                        payload = pos;
                        pos += length;
                        break;
                    }
                case 5:
                    pos += 4;
                    break;
                default:
                    throw new InvalidDataException($"the ONNX model is not valid protobuf (wire type {wire} at byte {start})");
            }
            if (pos > message.Length) throw new InvalidDataException($"the ONNX model is cut short (field {number} at byte {start})");
            fields.Add(new Field(number, wire, start, payload, pos));
        }
        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> buffer, ref int pos)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (pos >= buffer.Length) throw new InvalidDataException("the ONNX model is cut short (in a varint)");
            byte b = buffer[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("the ONNX model has a malformed varint");
    }

    private static ulong VarintValue(ReadOnlySpan<byte> message, Field f)
    {
        int pos = f.Start;
        ReadVarint(message, ref pos); // the tag
        return ReadVarint(message, ref pos);
    }

    /// <summary>A NodeProto's inputs, outputs, name, op type and domain.</summary>
    private sealed class Node
    {
        public List<string> Inputs { get; } = [];

        public List<string> Outputs { get; } = [];

        public string Name { get; private set; } = "";

        public string OpType { get; private set; } = "";

        public string Domain { get; private set; } = "";

        /// <summary>The "axis" attribute (0 when absent).</summary>
        public long Axis { get; private set; }

        public static Node Parse(ReadOnlySpan<byte> message)
        {
            var node = new Node();
            foreach (var f in Fields(message))
            {
                if (f.WireType != 2) continue;
                if (f.Number == 5)
                {
                    // AttributeProto: name (1), i (3).
                    var attribute = f.Payload(message);
                    string name = "";
                    long value = 0;
                    foreach (var a in Fields(attribute))
                    {
                        if (a.Number == 1 && a.WireType == 2) name = Encoding.UTF8.GetString(a.Payload(attribute));
                        else if (a.Number == 3 && a.WireType == 0) value = (long)VarintValue(attribute, a);
                    }
                    if (name == "axis") node.Axis = value;
                    continue;
                }
                var text = Encoding.UTF8.GetString(f.Payload(message));
                switch (f.Number)
                {
                    case 1: node.Inputs.Add(text); break;
                    case 2: node.Outputs.Add(text); break;
                    case 3: node.Name = text; break;
                    case 4: node.OpType = text; break;
                    case 7: node.Domain = text; break;
                }
            }
            return node;
        }
    }

    /// <summary>A TensorProto's name, type, shape and where its data is (raw_data or packed float_data).</summary>
    private sealed class Tensor
    {
        public string Name { get; private set; } = "";

        public int DataType { get; private set; }

        public long[] Dims { get; private set; } = [];

        private byte[] _message = [];
        private Field? _raw;
        private Field? _floats;

        public static Tensor Parse(ReadOnlySpan<byte> message)
        {
            var t = new Tensor { _message = message.ToArray() };
            var dims = new List<long>();
            foreach (var f in Fields(t._message))
            {
                switch (f.Number)
                {
                    case 1 when f.WireType == 0:
                        dims.Add((long)VarintValue(t._message, f));
                        break;
                    case 1 when f.WireType == 2:
                        {
                            var packed = f.Payload(t._message);
                            int pos = 0;
                            while (pos < packed.Length) dims.Add((long)ReadVarint(packed, ref pos));
                            break;
                        }
                    case 2:
                        t.DataType = (int)VarintValue(t._message, f);
                        break;
                    case 4 when f.WireType == 2:
                        t._floats = f;
                        break;
                    case 8:
                        t.Name = Encoding.UTF8.GetString(f.Payload(t._message));
                        break;
                    case 9:
                        t._raw = f;
                        break;
                    case 14:
                        if (VarintValue(t._message, f) != 0) t.DataType = -1; // external data: left alone
                        break;
                }
            }
            t.Dims = [.. dims];
            return t;
        }

        /// <summary>The float values (little-endian on the wire, as raw_data or packed float_data).</summary>
        public float[] Floats()
        {
            var bytes = (_raw ?? _floats ?? throw new InvalidDataException($"tensor '{Name}' has no data")).Payload(_message);
            long count = 1;
            foreach (long d in Dims) count *= d;
            if (bytes.Length != count * 4) throw new InvalidDataException($"tensor '{Name}' has {bytes.Length} bytes for {count} floats");
            var values = new float[count];
            if (BitConverter.IsLittleEndian) bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            else
            {
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
            }
            return values;
        }
    }

    /// <summary>Protobuf wire-format writer.</summary>
    private sealed class Writer
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

        public void Varint(int field, ulong value)
        {
            WriteVarint((ulong)field << 3);
            WriteVarint(value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Bytes(int field, ReadOnlySpan<byte> value)
        {
            WriteVarint(((ulong)field << 3) | 2);
            WriteVarint((ulong)value.Length);
            _buffer.Write(value);
        }

        private void WriteVarint(ulong value)
        {
            var span = _buffer.GetSpan(10);
            int n = 0;
            while (value >= 0x80)
            {
                span[n++] = (byte)(value | 0x80);
                value >>= 7;
            }
            span[n++] = (byte)value;
            _buffer.Advance(n);
        }

        public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
    }
}
