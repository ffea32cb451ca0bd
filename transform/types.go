package transform

import (
	"fmt"
	"go/token"
	"go/types"

	"github.com/dave/jennifer/jen"
)

// typeCode renders a type for a declaration corogen synthesises (a field,
// a hoisted variable, a temporary): named types through jen.Qual, so that
// imports are right. A type that cannot be named in the package (an
// unexported type of another package, a type declared inside a function)
// is an error.
func (g *gen) typeCode(t types.Type, at token.Pos) jen.Code {
	switch t := t.(type) {
	case *types.Alias:
		obj := t.Obj()
		if obj.Pkg() == nil || obj.Pkg() == g.pkg || obj.Exported() {
			return g.named(obj, t.TypeArgs(), at)
		}
		return g.typeCode(types.Unalias(t), at)
	case *types.Named:
		return g.named(t.Obj(), t.TypeArgs(), at)
	case *types.TypeParam:
		return jen.Id(t.Obj().Name())
	case *types.Basic:
		switch t.Kind() {
		case types.UntypedBool:
			return jen.Bool()
		case types.UntypedInt:
			return jen.Int()
		case types.UntypedRune:
			return jen.Rune()
		case types.UntypedFloat:
			return jen.Float64()
		case types.UntypedComplex:
			return jen.Complex128()
		case types.UntypedString:
			return jen.String()
		case types.UntypedNil:
			g.errorf(at, "cannot store untyped nil across an await; give the variable a type")
			return jen.Id("any")
		case types.UnsafePointer:
			return jen.Qual("unsafe", "Pointer")
		}
		return jen.Id(t.Name())
	case *types.Pointer:
		return jen.Op("*").Add(g.typeCode(t.Elem(), at))
	case *types.Slice:
		return jen.Index().Add(g.typeCode(t.Elem(), at))
	case *types.Array:
		return jen.Index(jen.Lit(int(t.Len()))).Add(g.typeCode(t.Elem(), at))
	case *types.Map:
		return jen.Map(g.typeCode(t.Key(), at)).Add(g.typeCode(t.Elem(), at))
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			return jen.Chan().Op("<-").Add(g.typeCode(t.Elem(), at))
		case types.RecvOnly:
			return jen.Op("<-").Chan().Add(g.typeCode(t.Elem(), at))
		}
		return jen.Chan().Add(g.typeCode(t.Elem(), at))
	case *types.Signature:
		return jen.Func().Add(g.signature(t, at))
	case *types.Struct:
		fields := make([]jen.Code, t.NumFields())
		for i := range fields {
			f := t.Field(i)
			var c *jen.Statement
			if f.Embedded() {
				c = jen.Add(g.typeCode(f.Type(), at))
			} else {
				c = jen.Id(f.Name()).Add(g.typeCode(f.Type(), at))
			}
			if tag := t.Tag(i); tag != "" {
				c.Op(fmt.Sprintf("%q", tag))
			}
			fields[i] = c
		}
		return jen.Struct(fields...)
	case *types.Interface:
		if t.Empty() && t.NumEmbeddeds() == 0 {
			return jen.Id("any")
		}
		var items []jen.Code
		for i := 0; i < t.NumEmbeddeds(); i++ {
			items = append(items, g.typeCode(t.EmbeddedType(i), at))
		}
		for i := 0; i < t.NumExplicitMethods(); i++ {
			m := t.ExplicitMethod(i)
			items = append(items, jen.Id(m.Name()).Add(g.signature(m.Type().(*types.Signature), at)))
		}
		return jen.Interface(items...)
	case *types.Union:
		terms := make([]jen.Code, t.Len())
		for i := range terms {
			term := t.Term(i)
			c := jen.Add(g.typeCode(term.Type(), at))
			if term.Tilde() {
				c = jen.Op("~").Add(c)
			}
			terms[i] = c
		}
		return jen.Union(terms...)
	case *types.Tuple:
		g.errorf(at, "cannot store a multi-value expression in one variable")
		return jen.Id("any")
	}
	g.errorf(at, "cannot name type %s in generated code", t)
	return jen.Id("any")
}

func (g *gen) named(obj *types.TypeName, args *types.TypeList, at token.Pos) jen.Code {
	var c *jen.Statement
	switch {
	case obj.Pkg() == nil: // error, comparable, any
		c = jen.Id(obj.Name())
	case obj.Pkg() == g.pkg:
		if name, ok := g.hoisted[obj]; ok {
			c = jen.Id(name)
			break
		}
		if obj.Parent() != nil && obj.Parent() != g.pkg.Scope() && !g.hoistFailed[obj] {
			g.errorf(at, "type %s is declared inside a function, so a variable of it cannot live across an await; declare the type at package level", obj.Name())
		}
		c = jen.Id(obj.Name())
	default:
		if !obj.Exported() {
			g.errorf(at, "type %s.%s is not exported, so a variable of it cannot live across an await in generated code; keep it in a variable of an exported or interface type", obj.Pkg().Name(), obj.Name())
		}
		c = jen.Qual(obj.Pkg().Path(), obj.Name())
	}
	if args != nil && args.Len() > 0 {
		ts := make([]jen.Code, args.Len())
		for i := range ts {
			ts[i] = g.typeCode(args.At(i), at)
		}
		c = c.Types(ts...)
	}
	return c
}

func (g *gen) signature(sig *types.Signature, at token.Pos) *jen.Statement {
	params := make([]jen.Code, sig.Params().Len())
	for i := range params {
		p := sig.Params().At(i)
		if sig.Variadic() && i == len(params)-1 {
			params[i] = jen.Op("...").Add(g.typeCode(p.Type().(*types.Slice).Elem(), at))
		} else {
			params[i] = g.typeCode(p.Type(), at)
		}
	}
	s := jen.Params(params...)
	switch n := sig.Results().Len(); n {
	case 0:
	case 1:
		s.Add(g.typeCode(sig.Results().At(0).Type(), at))
	default:
		rs := make([]jen.Code, n)
		for i := range rs {
			rs[i] = g.typeCode(sig.Results().At(i).Type(), at)
		}
		s.Params(rs...)
	}
	return s
}
