"""Label graph calls: create_graph, update_vertices, update_edges, get_subgraph,
get_vertex_neighbors, and the Vertex and Edge primitives."""
import pytest

import dvidxfer


def test_vertex_and_edge_constructors_take_the_seed_arguments():
    vertex = dvidxfer.Vertex(5, 2.5)
    assert (vertex.id, vertex.weight) == (5, 2.5)
    assert dvidxfer.Vertex(id_=5, weight=2.5) == vertex
    edge = dvidxfer.Edge(1, 2, 3.0)
    assert (edge.id1, edge.id2, edge.weight) == (1, 2, 3.0)
    assert dvidxfer.Edge(id1=2, id2=1, weight=3.0) == edge
    assert hash(dvidxfer.Edge(2, 1, 3.0)) == hash(edge)


@pytest.fixture
def graph(node, unique_name):
    """A new labelgraph instance."""
    assert node.create_graph(unique_name) is True
    return unique_name


def test_create_graph_is_false_when_it_exists(node, graph):
    assert node.create_graph(graph) is False
    assert node.create_graph(name=graph) is False


def test_vertices_and_edges_accumulate_weights(node, graph):
    node.update_vertices(graph, [dvidxfer.Vertex(1, 10), dvidxfer.Vertex(2, 20),
                                       dvidxfer.Vertex(3, 30)])
    node.update_vertices(graph_name=graph, vertices=[dvidxfer.Vertex(1, 5)])
    node.update_edges(graph, [dvidxfer.Edge(1, 2, 1.5), dvidxfer.Edge(2, 3, 2.0)])
    node.update_edges(graph_name=graph, vertices=[dvidxfer.Edge(2, 1, 0.5)])

    whole = node.get_subgraph(graph)
    weights = {vertex.id: vertex.weight for vertex in whole.vertices}
    assert weights == {1: 15.0, 2: 20.0, 3: 30.0}
    assert set(whole.edges) == {dvidxfer.Edge(1, 2, 2.0), dvidxfer.Edge(2, 3, 2.0)}


def test_get_subgraph_of_some_vertices_and_vertex_neighbors(node, graph):
    node.update_vertices(graph, [dvidxfer.Vertex(i, i) for i in range(1, 5)])
    node.update_edges(graph, [dvidxfer.Edge(1, 2, 1), dvidxfer.Edge(2, 3, 1),
                                    dvidxfer.Edge(3, 4, 1)])
    sub = node.get_subgraph(graph, [dvidxfer.Vertex(1, 0), dvidxfer.Vertex(2, 0)])
    assert {vertex.id for vertex in sub.vertices} == {1, 2}
    # The edges that touch the vertices asked for.
    assert set(sub.edges) == {dvidxfer.Edge(1, 2, 1), dvidxfer.Edge(2, 3, 1)}
    neighbors = node.get_vertex_neighbors(graph, 3)
    assert {vertex.id for vertex in neighbors.vertices} == {2, 3, 4}
    assert set(neighbors.edges) == {dvidxfer.Edge(2, 3, 1), dvidxfer.Edge(3, 4, 1)}


def test_edges_need_their_vertices(node, graph):
    with pytest.raises(dvidxfer.DVIDException):
        node.update_edges(graph, [dvidxfer.Edge(100, 200, 1)])
