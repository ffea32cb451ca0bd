package difffuzz

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestSample(t *testing.T) {
	seed, _ := strconv.ParseUint(os.Getenv("DIFFFUZZ_SEED"), 10, 64)
	if seed == 0 {
		t.Skip()
	}
	r := rand.New(rand.NewPCG(seed, 2))
	data := make([]byte, 50+r.IntN(400))
	for j := range data {
		data[j] = byte(r.UintN(256))
	}
	fmt.Println(Generate(data).Source)
}

// TestRerun checks the input in DIFFFUZZ_INPUT and prints the failure.
func TestRerun(t *testing.T) {
	file := os.Getenv("DIFFFUZZ_INPUT")
	if file == "" {
		t.Skip()
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	if !strings.HasSuffix(file, ".go") {
		src = Generate(data).Source
	}
	out, err := workspace(t).Check(src)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(out.Gen.Stdout)
}
