# The architecture, checked at configure time: each of our library targets declares the targets and libraries it may
# link directly (tracelight_layer), and tracelight_check_layers() fails the configuration when a target links
# anything else, or when a target that must stay headless reaches Qt Gui or Qt Widgets through any path.
#
#   core        value types and pure helpers                       Qt Core, nlohmann/json
#   store       the SQLite cache                                    core
#   analysis    what is computed from the cache                     store
#   itemmodels  item models over snapshots and query results        analysis
#   importers   bytes → steps, by family in sub-folders             core
#   collector   the live OTLP/HTTP receiver                         importers, store
#   services    jobs, import sessions, opening the cache            store, importers, collector, Qt Concurrent
#   render      painting without widgets                            analysis, Qt Gui, Qt Svg, Graphviz
#   ui          widgets                                             render, itemmodels, services, Qt Widgets…
#   cli         the headless commands                               render, services, analysis
#
# HACKING.md explains each layer; tests/architecture checks the same rules on `cmake --graphviz` output.

set_property(GLOBAL PROPERTY TRACELIGHT_LAYERS "")

# tracelight_layer(TARGET [GUI|WIDGETS] ALLOW dep…): TARGET may link only the listed targets directly. Its whole
# closure may reach Qt Gui only with GUI (render, the command line), and Qt Widgets only with WIDGETS (ui).
function(tracelight_layer target)
    cmake_parse_arguments(ARG "GUI;WIDGETS" "" "ALLOW" ${ARGN})
    set_property(GLOBAL APPEND PROPERTY TRACELIGHT_LAYERS ${target})
    set_property(GLOBAL PROPERTY TRACELIGHT_LAYER_${target}_ALLOW "${ARG_ALLOW}")
    if(ARG_WIDGETS)
        set(level widgets)
    elseif(ARG_GUI)
        set(level gui)
    else()
        set(level headless)
    endif()
    set_property(GLOBAL PROPERTY TRACELIGHT_LAYER_${target}_LEVEL ${level})
endfunction()

# The targets a target links directly: link libraries and the interface it passes on, generator expressions such as
# $<LINK_ONLY:x> unwrapped, others dropped.
function(_tracelight_direct_links target out)
    set(result "")
    foreach(property LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
        get_target_property(libs ${target} ${property})
        if(NOT libs)
            continue()
        endif()
        foreach(lib IN LISTS libs)
            if(lib MATCHES "^\\$<LINK_ONLY:([^>]+)>$")
                set(lib "${CMAKE_MATCH_1}")
            elseif(lib MATCHES "^\\$<")
                continue()
            endif()
            if(lib MATCHES "^\\$<TARGET_NAME_IF_EXISTS:([^>]+)>$")
                set(lib "${CMAKE_MATCH_1}")
            endif()
            list(APPEND result ${lib})
        endforeach()
    endforeach()
    list(REMOVE_DUPLICATES result)
    set(${out} "${result}" PARENT_SCOPE)
endfunction()

function(tracelight_check_layers)
    get_property(layers GLOBAL PROPERTY TRACELIGHT_LAYERS)
    set(errors "")
    foreach(target IN LISTS layers)
        get_property(allowed GLOBAL PROPERTY TRACELIGHT_LAYER_${target}_ALLOW)
        get_property(level GLOBAL PROPERTY TRACELIGHT_LAYER_${target}_LEVEL)
        _tracelight_direct_links(${target} direct)
        foreach(lib IN LISTS direct)
            # qt_add_resources' object libraries belong to their target.
            if(lib MATCHES "^${target}_resources_[0-9]+$")
                continue()
            endif()
            if(NOT lib IN_LIST allowed)
                string(APPEND errors "\n  ${target} links ${lib}, which its layer does not allow (allowed: ${allowed})")
            endif()
        endforeach()
        if(level STREQUAL "widgets")
            continue()
        endif()
        # Walk the whole closure for Qt Gui and Qt Widgets.
        set(seen "")
        set(queue ${direct})
        while(queue)
            list(POP_FRONT queue lib)
            if(lib IN_LIST seen)
                continue()
            endif()
            list(APPEND seen ${lib})
            if(lib MATCHES "^Qt6?::(Widgets|OpenGLWidgets|Charts|SvgWidgets)$")
                string(APPEND errors "\n  ${target} reaches ${lib}, but only ui may link Qt Widgets")
            elseif(level STREQUAL "headless" AND lib MATCHES "^Qt6?::(Gui|OpenGL|Svg)$")
                string(APPEND errors "\n  ${target} reaches ${lib}, but it must not link Qt Gui")
            endif()
            if(TARGET ${lib})
                _tracelight_direct_links(${lib} next)
                list(APPEND queue ${next})
            endif()
        endwhile()
    endforeach()
    if(errors)
        message(FATAL_ERROR "Layering violations (see cmake/TracelightLayers.cmake):${errors}")
    endif()
endfunction()
