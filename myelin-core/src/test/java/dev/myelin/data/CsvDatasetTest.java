package dev.myelin.data;

import static dev.myelin.data.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) {
        return IdxFiles.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void stringLabelsAreSortedAndIndexed() {
        Path f = csv("iris.csv", """
                sepal_length,sepal_width,species
                5.1,3.5,setosa
                7.0,3.2,versicolor

                6.3,3.3,"virginica"
                4.9,3.0,setosa
                """);
        CsvDataset d = CsvDataset.read(f, "species");
        assertEquals(4, d.size());
        assertArrayEquals(new int[] {2}, d.featureShape());
        assertEquals(List.of("sepal_length", "sepal_width"), d.featureNames());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertEquals(3, d.numClasses());
        assertEquals(2, d.label(2), 0f);
        float[] x = new float[2];
        d.features(1, x, 0);
        assertArrayEquals(new float[] {7.0f, 3.2f}, x, 0f);
    }

    @Test
    void zeroBasedIntegerLabelsAreKeptAndOneBasedAreShifted() {
        CsvDataset zero = CsvDataset.read(csv("z.csv", "a,y\n1,2\n2,0\n3,1\n"), "y");
        assertEquals(2, zero.label(0), 0f);
        assertEquals(List.of("0", "1", "2"), zero.classNames());
        CsvDataset one = CsvDataset.read(csv("o.csv", "a,y\n1,2\n2,10\n3,1\n"), "y");
        assertEquals(List.of("1", "2", "10"), one.classNames()); // numeric order, not "1","10","2"
        assertEquals(2, one.label(1), 0f);
    }

    @Test
    void explicitFeatureColumnsAndRegressionFromGzip() {
        byte[] gz = IdxFiles.gzip("id,price,rooms,area\nx1,100.5,3,70\nx2,80,2,55\n".getBytes(StandardCharsets.UTF_8));
        Path f = IdxFiles.write(dir.resolve("houses.data"), gz); // gzip found by its magic, not its name
        CsvDataset d = CsvDataset.read(f, CsvDataset.Options.regression("price").withFeatures(List.of("area", "rooms")));
        assertEquals(0, d.numClasses());
        assertEquals(100.5f, d.label(0), 0f);
        assertEquals(List.of("area", "rooms"), d.featureNames());
        float[] x = new float[2];
        d.features(1, x, 0);
        assertArrayEquals(new float[] {55, 2}, x, 0f);
    }

    @Test
    void badValueNamesFileLineColumnAndValue() {
        Path f = csv("table.csv", "a,b,label\n1,2,0\n3,abc,1\n");
        DataException e = assertThrows(DataException.class, () -> CsvDataset.read(f, "label"));
        assertContains(e, "table.csv:3", "column 'b' (column 2)", "expected a number", "\"abc\"");
    }

    @Test
    void emptyValueAndWrongFieldCount() {
        DataException empty = assertThrows(DataException.class,
                () -> CsvDataset.read(csv("e.csv", "a,b,label\n1,,0\n"), "label"));
        assertContains(empty, "e.csv:2", "column 'b'", "empty value");
        DataException count = assertThrows(DataException.class,
                () -> CsvDataset.read(csv("c.csv", "a,b,label\n1,2,0\n1,2\n"), "label"));
        assertContains(count, "c.csv:3", "expected 3 fields", "found 2");
    }

    @Test
    void unknownLabelColumnListsTheColumns() {
        DataException e = assertThrows(DataException.class,
                () -> CsvDataset.read(csv("u.csv", "a,b,target\n1,2,0\n"), "label"));
        assertContains(e, "u.csv", "label column 'label' not found", "[a, b, target]");
    }

    @Test
    void quotedFieldsWithSeparatorsAndQuotes() {
        CsvDataset d = CsvDataset.read(csv("q.csv", "x,name\n1,\"a, \"\"b\"\"\"\n2,c\n"), "name");
        assertEquals(List.of("a, \"b\"", "c"), d.classNames());
    }

    @Test
    void aColumnWithoutANameIsRefusedNotLearnedFrom() {
        Path f = csv("pandas.csv", ",a,b,label\n0,1,2,x\n1,3,4,y\n"); // pandas' to_csv with its index
        DataException e = assertThrows(DataException.class, () -> CsvDataset.read(f, "label"));
        assertContains(e, f + ":1: column 1 has no name in the header", "to_csv(path, index=False)");
    }

    @Test
    void aFirstLineThatIsNoHeaderIsCalledSo() {
        Path sk = csv("iris.csv", "150,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n");
        DataException e = assertThrows(DataException.class, () -> CsvDataset.read(sk, "species"));
        assertContains(e, "label column 'species' not found in the header",
                "Line 1 is not a header: its field 1 is the number '150'", "data.header: false");

        Path semi = csv("semi.csv", "a;b;label\n1;2;x\n");
        assertContains(assertThrows(DataException.class, () -> CsvDataset.read(semi, "label")),
                "Line 1 is one column holding ';': the file seems separated by ';'", "data.separator: \";\"");

        Path named = csv("named.csv", "a,b,species\n1,2,x\n");
        DataException missing = assertThrows(DataException.class, () -> CsvDataset.read(named, "label"));
        assertContains(missing, "the columns are [a, b, species]");
        String n = missing.getMessage();
        assertEquals(-1, n.indexOf("Line 1"), n); // a real header gets no such guess
    }

    @Test
    void aFileWithoutAHeaderNamesItsColumnsByPosition() {
        Path f = csv("iris.data", "5.1,3.5,1.4,0.2,setosa\n\n7.0,3.2,4.7,1.4,versicolor\n6.3,3.3,6.0,2.5,virginica\n");
        CsvDataset d = CsvDataset.read(f, CsvDataset.Options.classification("4").withHeader(false));
        assertEquals(3, d.size(), "the first line is a sample");
        assertEquals(List.of("0", "1", "2", "3"), d.featureNames());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        float[] x = new float[4];
        d.features(0, x, 0);
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, x);

        DataException e = assertThrows(DataException.class,
                () -> CsvDataset.read(f, CsvDataset.Options.classification("species").withHeader(false)));
        assertContains(e, "label column 'species' not found", "data.header: false: name a column by its 0-based position");
        Path ragged = csv("ragged.data", "1,2,a\n3,b\n");
        assertContains(assertThrows(DataException.class,
                () -> CsvDataset.read(ragged, CsvDataset.Options.classification("2").withHeader(false))),
                ragged + ":2: expected 3 fields as in the first row, found 2");
    }

    @Test
    void columnsAreChosenByAFeatureListOrAnExcludeList() {
        Path f = csv("t.csv", "id,a,b,label\n7,1,2,x\n8,3,4,y\n");
        CsvDataset d = CsvDataset.read(f, CsvDataset.Options.classification("label").excluding(List.of("id")));
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals(List.of("b", "id"), CsvDataset.read(f, CsvDataset.Options.classification("label")
                .withFeatures(List.of("b", "id"))).featureNames());
        assertContains(assertThrows(DataException.class, () -> CsvDataset.read(f,
                CsvDataset.Options.classification("label").excluding(List.of("ID")))),
                "column to exclude 'ID' not found in the header; the columns are [id, a, b, label]");
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> new CsvDataset.Options(
                "label", CsvDataset.Task.CLASSIFICATION, List.of("a"), ',', true, List.of("id")));
        assertContains(both, "a list of feature columns or a list of columns to exclude, received both");
        assertThrows(IllegalArgumentException.class, () -> CsvDataset.Options.classification("label")
                .excluding(List.of("label")));
    }

    @Test
    void anotherSeparatorIsRead() {
        Path f = csv("semi.csv", "a;b;label\n1,5;2;x\n3;4;y\n");
        CsvDataset d = CsvDataset.read(f, CsvDataset.Options.classification("label").withSeparator(';')
                .excluding(List.of("a")));
        assertEquals(List.of("b"), d.featureNames());
        Path tabs = csv("t.tsv", "a\tlabel\n1\tx\n2\ty\n");
        assertEquals(2, CsvDataset.read(tabs, CsvDataset.Options.classification("label").withSeparator('\t')).size());
    }
}
