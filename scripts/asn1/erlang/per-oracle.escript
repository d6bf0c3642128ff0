#!/usr/bin/env escript
%% Erlang/OTP asn1 as an independent aligned-PER oracle for confgate's H.323 codec.
%% Usage: per-oracle.escript BEAM_DIR < requests; one answer line per request line:
%%   encode Module Type Term          -> ok Hex            | error Reason
%%   check  Module Type Hex Term      -> ok Same Hex       | error Reason
%%          (decodes Hex, Same is true when the value equals Term, Hex is the value re-encoded)
%%   decode Module Type Hex           -> ok                | error Reason
%%   reencode Module Type Hex         -> ok Hex            | error Reason
%% Terms are Erlang terms in the +maps representation, on one line, ending with a full stop.
-mode(compile).

main([BeamDir]) ->
    true = code:add_patha(BeamDir),
    loop().

loop() ->
    case io:get_line("") of
        eof -> ok;
        Line ->
            io:format("~s~n", [answer(string:trim(Line))]),
            loop()
    end.

answer(Line) ->
    try request(string:split(Line, " ", all)) of
        Reply -> Reply
    catch
        C:R -> io_lib:format("error ~0p", [{C, R}])
    end.

request(["encode", Mod, Type | TermWords]) ->
    Term = parse(lists:join(" ", TermWords)),
    case (list_to_atom(Mod)):encode(list_to_atom(Type), Term) of
        {ok, Bin} -> ["ok ", hex(Bin)];
        {error, R} -> io_lib:format("error ~0p", [R])
    end;
request(["check", Mod, Type, Hex | TermWords]) ->
    Term = parse(lists:join(" ", TermWords)),
    M = list_to_atom(Mod), T = list_to_atom(Type),
    case M:decode(T, binary:decode_hex(list_to_binary(Hex))) of
        {ok, Value} ->
            {ok, Again} = M:encode(T, Value),
            ["ok ", atom_to_list(Value =:= Term), " ", hex(Again)];
        {error, R} -> io_lib:format("error ~0p", [R])
    end;
request(["reencode", Mod, Type, Hex]) ->
    M = list_to_atom(Mod), T = list_to_atom(Type),
    case M:decode(T, binary:decode_hex(list_to_binary(Hex))) of
        {ok, Value} -> {ok, Again} = M:encode(T, Value), ["ok ", hex(Again)];
        {error, R} -> io_lib:format("error ~0p", [R])
    end;
request(["decode", Mod, Type, Hex]) ->
    case (list_to_atom(Mod)):decode(list_to_atom(Type), binary:decode_hex(list_to_binary(Hex))) of
        {ok, _} -> "ok";
        {error, R} -> io_lib:format("error ~0p", [R])
    end.

parse(Text) ->
    {ok, Tokens, _} = erl_scan:string(lists:flatten(Text)),
    {ok, Term} = erl_parse:parse_term(Tokens),
    Term.

hex(Bin) -> string:lowercase(binary_to_list(binary:encode_hex(Bin))).
